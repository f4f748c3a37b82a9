package de.tim.homeserver.federation.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MultipartMixedReaderTests {

    private static byte[] body(String boundary, String preamble, byte[] media) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((preamble + "--" + boundary + "  \r\nContent-Type: application/json\r\n\r\n{}\r\n--" + boundary
                + "\r\nContent-Type: image/png\r\nContent-Disposition: inline; filename=\"a.png\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(media);
        out.writeBytes(("\r\n--" + boundary + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Hands out at most {@code max} bytes per read, like a slow network. */
    private static InputStream trickle(byte[] bytes, int max) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }

    @Test
    void readsBothPartsWhateverTheChunking() throws IOException {
        byte[] media = new byte[300_000];
        new Random(7).nextBytes(media);
        // bytes that look like the start of a delimiter inside the media
        byte[] tricky = "\r\n--abc\r\n--ab".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tricky, 0, media, 1000, tricky.length);
        System.arraycopy(tricky, 0, media, media.length - tricky.length, tricky.length);
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            for (String preamble : new String[] {"", "ignored preamble\r\n"}) {
                MultipartMixedReader reader = new MultipartMixedReader(trickle(body("abcdef", preamble, media), chunk), "abcdef");
                MultipartMixedReader.Part json = reader.next();
                assertThat(json.header("Content-Type")).isEqualTo("application/json");
                assertThat(new String(json.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
                MultipartMixedReader.Part file = reader.next();
                assertThat(file.header("content-type")).isEqualTo("image/png");
                assertThat(file.header("Content-Disposition")).isEqualTo("inline; filename=\"a.png\"");
                assertThat(file.body().readAllBytes()).as("chunk %d", chunk).isEqualTo(media);
                assertThat(reader.next()).isNull();
            }
        }
    }

    @Test
    void unreadPartsAreSkipped() throws IOException {
        MultipartMixedReader reader = new MultipartMixedReader(new ByteArrayInputStream(body("b1", "", new byte[] {1, 2})), "b1");
        reader.next();
        assertThat(reader.next().body().readAllBytes()).containsExactly(1, 2);
    }

    @Test
    void truncatedBodiesFail() throws IOException {
        byte[] full = body("zz", "", new byte[5000]);
        byte[] cut = java.util.Arrays.copyOf(full, 3000);
        MultipartMixedReader reader = new MultipartMixedReader(new ByteArrayInputStream(cut), "zz");
        reader.next();
        InputStream media = reader.next().body();
        assertThatThrownBy(media::readAllBytes).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new MultipartMixedReader(new ByteArrayInputStream(new byte[100]), "zz").next())
                .isInstanceOf(IOException.class);
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertThat(MultipartMixedReader.boundary("multipart/mixed; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartMixedReader.boundary("Multipart/Mixed;boundary=\"a b:c\"")).isEqualTo("a b:c");
        assertThat(MultipartMixedReader.boundary("multipart/mixed; charset=x; boundary=q1; x=y")).isEqualTo("q1");
        assertThat(MultipartMixedReader.boundary("application/json")).isNull();
        assertThat(MultipartMixedReader.boundary("multipart/mixed")).isNull();
        assertThat(MultipartMixedReader.boundary(null)).isNull();
    }
}
