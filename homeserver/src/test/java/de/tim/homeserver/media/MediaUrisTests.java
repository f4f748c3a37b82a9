package de.tim.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MediaUrisTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void findsUrlsThumbnailsFilesAvatarsAndEdits() throws Exception {
        JsonNode content = json("""
                {"msgtype":"m.image","body":"see mxc://a.test/inBody","url":"mxc://a.test/img",
                 "info":{"thumbnail_url":"mxc://a.test/thumb","thumbnail_file":{"url":"mxc://a.test/encThumb"}},
                 "file":{"url":"mxc://b.test/encFile"},
                 "m.new_content":{"msgtype":"m.file","url":"mxc://a.test/edited"},
                 "avatar_url":"mxc://a.test/avatar",
                 "other":"mxc://a.test/notAReferenceField",
                 "list":[{"url":"mxc://a.test/inList"}]}
                """);
        assertThat(MediaUris.referencedBy(content)).extracting(MediaUris.MxcUri::uri).containsExactlyInAnyOrder(
                "mxc://a.test/img", "mxc://a.test/thumb", "mxc://a.test/encThumb", "mxc://b.test/encFile",
                "mxc://a.test/edited", "mxc://a.test/avatar", "mxc://a.test/inList");
    }

    @Test
    void ignoresMalformedAndNonMxcValues() throws Exception {
        JsonNode content = json("""
                {"url":"https://a.test/x","avatar_url":"mxc://a.test/../etc","thumbnail_url":5,
                 "info":{"url":"mxc://a.test/"},"file":{"url":"mxc://a.test/ok_id-1"}}
                """);
        assertThat(MediaUris.referencedBy(content)).extracting(MediaUris.MxcUri::uri)
                .containsExactly("mxc://a.test/ok_id-1");
        assertThat(MediaUris.MxcUri.parse("mxc://[::1]:8448/abc")).isEqualTo(new MediaUris.MxcUri("[::1]:8448", "abc"));
        assertThat(MediaUris.MxcUri.parse(null)).isNull();
    }

    @Test
    void objectIdBoundIsTheStartOfTheSecond() {
        assertThat(GridFsMediaStore.objectIdAt(1_700_000_000_123L).getTimestamp()).isEqualTo(1_700_000_000);
        assertThat(GridFsMediaStore.objectIdAt(1_700_000_000_123L).toHexString()).endsWith("0000000000000000");
    }
}
