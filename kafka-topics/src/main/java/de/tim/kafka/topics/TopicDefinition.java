package de.tim.kafka.topics;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One Kafka topic of the Fachdienst: its name, what its key is, the record type of its values and the
 * JSON Schema every value conforms to.
 *
 * @param name              topic name
 * @param keyDescription    what the record key holds (and therefore what is ordered per partition)
 * @param valueType         the Java record carried as value
 * @param schemaResource    classpath location of the value's JSON Schema
 * @param defaultPartitions partitions when the topic is provisioned and nothing else is configured
 * @param <V>               value type
 */
public record TopicDefinition<V>(
        String name,
        String keyDescription,
        Class<V> valueType,
        String schemaResource,
        int defaultPartitions) {

    public Serializer<V> valueSerializer() {
        return new JsonRecordSerializer<>();
    }

    public Deserializer<V> valueDeserializer() {
        return new JsonRecordDeserializer<>(valueType);
    }

    public Serde<V> valueSerde() {
        return Serdes.serdeFrom(valueSerializer(), valueDeserializer());
    }
}
