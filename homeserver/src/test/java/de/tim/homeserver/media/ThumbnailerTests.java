package de.tim.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import de.tim.matrix.error.MatrixException;
import org.junit.jupiter.api.Test;

public class ThumbnailerTests {

    private final Thumbnailer thumbnailer = new Thumbnailer(40_000_000L);

    @Test
    void requestsMapToTheRecommendedSizes() {
        assertThat(ThumbnailSpec.forRequest(20, 20, ThumbnailSpec.Method.CROP))
                .isEqualTo(new ThumbnailSpec(32, 32, ThumbnailSpec.Method.CROP));
        assertThat(ThumbnailSpec.forRequest(50, 90, ThumbnailSpec.Method.CROP))
                .isEqualTo(new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP));
        assertThat(ThumbnailSpec.forRequest(100, 100, ThumbnailSpec.Method.SCALE))
                .isEqualTo(new ThumbnailSpec(320, 240, ThumbnailSpec.Method.SCALE));
        assertThat(ThumbnailSpec.forRequest(700, 500, ThumbnailSpec.Method.SCALE))
                .isEqualTo(new ThumbnailSpec(800, 600, ThumbnailSpec.Method.SCALE));
        assertThat(ThumbnailSpec.forRequest(1000, 900, ThumbnailSpec.Method.SCALE))
                .isEqualTo(new ThumbnailSpec(1000, 900, ThumbnailSpec.Method.SCALE));
    }

    @Test
    void scaleKeepsTheAspectRatioAndIsNeverSmallerThanRequested() throws IOException {
        Thumbnailer.Rendered rendered = thumbnailer.render(png(1000, 500),
                new ThumbnailSpec(320, 240, ThumbnailSpec.Method.SCALE)).orElseThrow();
        BufferedImage image = decode(rendered);
        assertThat(image.getWidth()).isEqualTo(480);
        assertThat(image.getHeight()).isEqualTo(240);
        assertThat(rendered.contentType()).isEqualTo("image/png");
    }

    @Test
    void cropHasTheRequestedAspectRatio() throws IOException {
        Thumbnailer.Rendered rendered = thumbnailer.render(png(1000, 500),
                new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP)).orElseThrow();
        BufferedImage image = decode(rendered);
        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(96);
    }

    @Test
    void neverUpscales() throws IOException {
        assertThat(thumbnailer.render(png(50, 40), new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP))).isEmpty();
        assertThat(thumbnailer.render(png(300, 200), new ThumbnailSpec(320, 240, ThumbnailSpec.Method.SCALE))).isEmpty();
        Thumbnailer.Rendered narrow = thumbnailer.render(png(50, 500),
                new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP)).orElseThrow();
        assertThat(decode(narrow).getWidth()).isEqualTo(50);
        assertThat(decode(narrow).getHeight()).isEqualTo(96);
    }

    @Test
    void jpegStaysJpegAndGifAndBmpAreRead() throws IOException {
        assertThat(thumbnailer.render(image(800, 800, "jpeg"), new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP))
                .orElseThrow().contentType()).isEqualTo("image/jpeg");
        assertThat(decode(thumbnailer.render(image(400, 400, "gif"), new ThumbnailSpec(32, 32, ThumbnailSpec.Method.CROP))
                .orElseThrow()).getWidth()).isEqualTo(32);
        assertThat(decode(thumbnailer.render(image(400, 400, "bmp"), new ThumbnailSpec(32, 32, ThumbnailSpec.Method.CROP))
                .orElseThrow()).getWidth()).isEqualTo(32);
    }

    @Test
    void decompressionBombsAreRefusedFromTheHeader() {
        assertThatThrownBy(() -> thumbnailer.render(new ByteArrayInputStream(pngHeaderOnly(100_000, 100_000)),
                new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP)))
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.errcode()).isEqualTo("M_TOO_LARGE");
                });
    }

    @Test
    void garbageIsRefusedWithA400() {
        assertThatThrownBy(() -> thumbnailer.render(new ByteArrayInputStream("not an image".getBytes(StandardCharsets.UTF_8)),
                new ThumbnailSpec(96, 96, ThumbnailSpec.Method.CROP)))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    static ByteArrayInputStream png(int width, int height) throws IOException {
        return image(width, height, "png");
    }

    static ByteArrayInputStream image(int width, int height, String format) throws IOException {
        return new ByteArrayInputStream(imageBytes(width, height, format));
    }

    public static byte[] imageBytes(int width, int height, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static BufferedImage decode(Thumbnailer.Rendered rendered) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(rendered.bytes()));
    }

    /** A PNG that claims the given size in its header and has no pixel data. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        header.writeBytes("IHDR");
        header.writeInt(width);
        header.writeInt(height);
        header.write(new byte[] {8, 2, 0, 0, 0});
        byte[] chunk = ihdr.toByteArray();
        data.writeInt(13);
        data.write(chunk);
        CRC32 crc = new CRC32();
        crc.update(chunk);
        data.writeInt((int) crc.getValue());
        data.writeInt(0);
        data.writeBytes("IEND");
        CRC32 end = new CRC32();
        end.update("IEND".getBytes(StandardCharsets.US_ASCII));
        data.writeInt((int) end.getValue());
        return out.toByteArray();
    }
}
