package de.tim.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Every record type round-trips through its topic's serde and validates against its JSON Schema. */
class TopicContractTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RoomEventRecord roomEvent() {
        ObjectNode pdu = JSON.createObjectNode();
        pdu.put("type", "m.room.message").put("room_id", "!r:praxis-a.tim.local");
        pdu.putObject("content").put("msgtype", "m.text").put("body", "hello");
        return new RoomEventRecord("praxis-a.tim.local", "!r:praxis-a.tim.local", "$abc", "m.room.message", null,
                "@a:praxis-a.tim.local", 1_700_000_000_000L, 42, false, pdu);
    }

    static PushNotificationRecord pushNotification() {
        var device = new PushNotificationRecord.Device("de.tim.app", "pk-1", 1_700_000_000L,
                Map.of("url", "https://push.tim.local/_matrix/push/v1/notify", "format", "event_id_only"), Map.of());
        var notification = new PushNotificationRecord.Notification("$abc", "!r:praxis-a.tim.local", null, null, null,
                null, null, null, "high", null, new PushNotificationRecord.Counts(3L, null), List.of(device));
        return new PushNotificationRecord("$abc|pk-1|de.tim.app", "praxis-a.tim.local", "@b:praxis-a.tim.local",
                "https://push.tim.local/_matrix/push/v1/notify", 1_700_000_000_001L, notification);
    }

    static List<Object> samples(TopicDefinition<?> topic) {
        if (topic.valueType() == RoomEventRecord.class) {
            ObjectNode state = JSON.createObjectNode();
            return List.of(roomEvent(), new RoomEventRecord("klinik-b.tim.local", "!s:klinik-b.tim.local", "$st",
                    "m.room.member", "@x:klinik-b.tim.local", "@x:klinik-b.tim.local", 1L, 0, true, state));
        }
        if (topic.valueType() == PushNotificationRecord.class) {
            return List.of(pushNotification());
        }
        if (topic.valueType() == RejectedPushkeyRecord.class) {
            return List.of(new RejectedPushkeyRecord("praxis-a.tim.local", "@b:praxis-a.tim.local", "de.tim.app", "pk-1",
                    "https://push.tim.local/_matrix/push/v1/notify", 1_700_000_000_002L));
        }
        if (topic.valueType() == RouteDeadLetterRecord.class) {
            return List.of(new RouteDeadLetterRecord("ID-1", "integration-routes", "vzd-delete-domain", "DELETE",
                    "/federation/praxis-a.tim.local", null, false, "HttpOperationFailedException", 503, 3, 1_700_000_000_003L),
                    new RouteDeadLetterRecord("ID-2", "integration-routes", "vzd-where-is", "GET", "/localization", null, true,
                            "ConnectException", null, 3, 1_700_000_000_004L));
        }
        if (topic.valueType() == SyncSignalRecord.class) {
            return List.of(new SyncSignalRecord("praxis-a.tim.local", "to_device", 17, "0f6c2a4e-instance"),
                    new SyncSignalRecord("klinik-b.tim.local", "account_data", 0, "other-instance"));
        }
        throw new AssertionError("no sample for " + topic.name() + ": add one when adding a topic");
    }

    @Test
    void everyRecordRoundTripsAndValidatesAgainstItsSchema() throws Exception {
        for (TopicDefinition<?> topic : TimTopics.ALL) {
            JsonSchema schema = schema(topic);
            for (Object sample : samples(topic)) {
                byte[] bytes = serialize(topic, sample);
                Set<ValidationMessage> errors = schema.validate(JSON.readTree(bytes));
                assertThat(errors).as("%s against %s", sample, topic.schemaResource()).isEmpty();
                assertThat(topic.valueDeserializer().deserialize(topic.name(), bytes)).isEqualTo(sample);
            }
        }
    }

    @Test
    void schemasRejectRecordsWithoutRequiredFields() throws Exception {
        for (TopicDefinition<?> topic : TimTopics.ALL) {
            JsonNode required;
            try (InputStream in = TopicDefinition.class.getResourceAsStream(topic.schemaResource())) {
                required = JSON.readTree(in).path("required");
            }
            assertThat(required.size()).as(topic.name()).isPositive();
            for (JsonNode field : required) {
                ObjectNode node = (ObjectNode) JSON.readTree(serialize(topic, samples(topic).getFirst()));
                assertThat(node.has(field.asText())).as("%s sample has %s", topic.name(), field.asText()).isTrue();
                node.remove(field.asText());
                assertThat(schema(topic).validate(node)).as("%s without %s", topic.name(), field.asText()).isNotEmpty();
            }
        }
    }

    @Test
    void pushRecordSerialisesWithPushGatewayFieldNames() throws Exception {
        JsonNode json = JSON.readTree(TimTopics.PUSH_NOTIFICATIONS.valueSerializer()
                .serialize("t", pushNotification()));
        assertThat(json.at("/notification/event_id").asText()).isEqualTo("$abc");
        assertThat(json.at("/notification/devices/0/app_id").asText()).isEqualTo("de.tim.app");
        assertThat(json.at("/notification/counts/unread").asLong()).isEqualTo(3);
        assertThat(json.at("/notification/sender").isMissingNode()).as("event_id_only carries no sender").isTrue();
    }

    @Test
    void topicNamesAreUniqueAndKeysDocumented() {
        assertThat(TimTopics.ALL.stream().map(TopicDefinition::name).collect(Collectors.toSet())).hasSize(TimTopics.ALL.size());
        assertThat(TimTopics.ALL).allSatisfy(t -> assertThat(t.keyDescription()).isNotBlank());
        assertThat(roomEvent().key()).isEqualTo("!r:praxis-a.tim.local");
        assertThat(pushNotification().key()).isEqualTo("pk-1");
    }

    @Test
    void routeDeadLettersCarryNoHeadersBodiesOrMessages() throws Exception {
        JsonNode json = JSON.readTree(serialize(TimTopics.ROUTE_DEAD_LETTERS, samples(TimTopics.ROUTE_DEAD_LETTERS).get(1)));
        assertThat(json.has("query")).isFalse();
        assertThat(json.get("queryRedacted").asBoolean()).isTrue();
        assertThat(json.has("httpStatus")).isFalse();
        ObjectNode withBody = (ObjectNode) json.deepCopy();
        withBody.put("body", "client_secret=x");
        assertThat(schema(TimTopics.ROUTE_DEAD_LETTERS).validate(withBody)).isNotEmpty();
        assertThat(new RouteDeadLetterRecord("ID-3", "integration-routes", "vzd-where-is", null, null, null, false, "X", null, 1, 0L).key())
                .isEqualTo("vzd-where-is");
    }

    @Test
    void syncSignalsCarryNoUserIdsOrContent() throws Exception {
        SyncSignalRecord signal = new SyncSignalRecord("praxis-a.tim.local", "to_device", 17, "instance-1");
        assertThat(signal.key()).isEqualTo("praxis-a.tim.local");
        JsonNode json = JSON.readTree(serialize(TimTopics.SYNC_SIGNALS, signal));
        assertThat(json.properties().stream().map(Map.Entry::getKey).toList()).containsExactlyInAnyOrder("domain", "stream", "position", "origin");
        ObjectNode withUser = (ObjectNode) json.deepCopy();
        withUser.put("userId", "@a:praxis-a.tim.local");
        assertThat(schema(TimTopics.SYNC_SIGNALS).validate(withUser)).isNotEmpty();
    }

    @Test
    void garbageIsASerializationErrorNamingNoContent() {
        assertThatThrownBy(() -> TimTopics.ROOM_EVENTS.valueDeserializer().deserialize("room-events", "{\"secret\":".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageNotContaining("secret");
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(TopicDefinition<V> topic, Object value) {
        return topic.valueSerializer().serialize(topic.name(), (V) value);
    }

    private static JsonSchema schema(TopicDefinition<?> topic) throws Exception {
        try (InputStream in = TopicDefinition.class.getResourceAsStream(topic.schemaResource())) {
            assertThat(in).as(topic.schemaResource()).isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }
}
