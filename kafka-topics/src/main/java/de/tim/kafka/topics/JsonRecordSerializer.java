package de.tim.kafka.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a record as UTF-8 JSON. No type headers: the topic definition fixes the value type. */
public final class JsonRecordSerializer<V> implements Serializer<V> {

    @Override
    public byte[] serialize(String topic, V data) {
        if (data == null) {
            return null;
        }
        try {
            return RecordJson.MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot serialise a " + data.getClass().getSimpleName() + " for " + topic, e);
        }
    }
}
