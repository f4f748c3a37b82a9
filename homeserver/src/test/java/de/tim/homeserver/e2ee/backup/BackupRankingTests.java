package de.tim.homeserver.e2ee.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The spec's "better key" rule of server-side key backups. */
class BackupRankingTests {

    private static Document key(boolean verified, long firstIndex, long forwarded) {
        return new Document("is_verified", verified).append("first_message_index", firstIndex).append("forwarded_count", forwarded);
    }

    @Test
    void verifiedWinsOverEverythingElse() {
        assertThat(BackupService.better(key(true, 10, 5), key(false, 0, 0))).isTrue();
        assertThat(BackupService.better(key(false, 0, 0), key(true, 10, 5))).isFalse();
    }

    @Test
    void thenTheLowerFirstMessageIndex() {
        assertThat(BackupService.better(key(false, 1, 9), key(false, 2, 0))).isTrue();
        assertThat(BackupService.better(key(false, 3, 0), key(false, 2, 9))).isFalse();
    }

    @Test
    void thenTheLowerForwardedCountAndTiesKeepTheStoredKey() {
        assertThat(BackupService.better(key(true, 1, 0), key(true, 1, 1))).isTrue();
        assertThat(BackupService.better(key(true, 1, 1), key(true, 1, 0))).isFalse();
        assertThat(BackupService.better(key(true, 1, 1), key(true, 1, 1))).isFalse();
    }
}
