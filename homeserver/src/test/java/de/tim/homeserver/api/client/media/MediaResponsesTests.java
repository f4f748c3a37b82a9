package de.tim.homeserver.api.client.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaResponsesTests {

    @Test
    void onlySafeTypesAreInline() {
        assertThat(MediaResponses.contentDisposition("image/png", null)).isEqualTo("inline");
        assertThat(MediaResponses.contentDisposition("text/plain; charset=utf-8", "a.txt"))
                .isEqualTo("inline; filename=\"a.txt\"");
        assertThat(MediaResponses.contentDisposition("text/html", "x.html")).isEqualTo("attachment; filename=\"x.html\"");
        assertThat(MediaResponses.contentDisposition("image/svg+xml", null)).isEqualTo("attachment");
        assertThat(MediaResponses.contentDisposition("application/pdf", "scan.pdf"))
                .isEqualTo("attachment; filename=\"scan.pdf\"");
    }

    @Test
    void nonAsciiAndSpecialFileNamesUseRfc5987() {
        assertThat(MediaResponses.contentDisposition("application/pdf", "Befund Müller.pdf"))
                .isEqualTo("attachment; filename*=utf-8''Befund%20M%C3%BCller.pdf");
        assertThat(MediaResponses.contentDisposition("application/pdf", "a\"b.pdf"))
                .isEqualTo("attachment; filename*=utf-8''a%22b.pdf");
        assertThat(MediaResponses.contentDisposition("application/pdf", "a\r\nSet-Cookie: x"))
                .isEqualTo("attachment; filename*=utf-8''a%0D%0ASet-Cookie%3A%20x");
    }

    @Test
    void singleRanges() {
        assertThat(MediaResponses.parseRange("bytes=0-9", 100)).containsExactly(0, 9);
        assertThat(MediaResponses.parseRange("bytes=90-", 100)).containsExactly(90, 99);
        assertThat(MediaResponses.parseRange("bytes=-10", 100)).containsExactly(90, 99);
        assertThat(MediaResponses.parseRange("bytes=50-500", 100)).containsExactly(50, 99);
        assertThat(MediaResponses.parseRange("bytes=100-", 100)).isNull();
        assertThat(MediaResponses.parseRange("bytes=0-1,5-6", 100)).isEmpty();
        assertThat(MediaResponses.parseRange("items=0-1", 100)).isEmpty();
        assertThat(MediaResponses.parseRange("bytes=9-1", 100)).isEmpty();
    }
}
