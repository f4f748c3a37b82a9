package de.tim.kafka.topics;

import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a record of a fixed type from UTF-8 JSON; unknown fields are ignored so producers can evolve first. */
public final class JsonRecordDeserializer<V> implements Deserializer<V> {

    private final Class<V> type;

    public JsonRecordDeserializer(Class<V> type) {
        this.type = type;
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return RecordJson.MAPPER.readValue(data, type);
        } catch (IOException | RuntimeException e) {
            // the message names the type and topic only: record content can hold personal data
            throw new SerializationException("cannot read a " + type.getSimpleName() + " from " + topic, e);
        }
    }
}
