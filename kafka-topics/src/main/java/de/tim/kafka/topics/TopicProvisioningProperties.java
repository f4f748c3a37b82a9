package de.tim.kafka.topics;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Topic provisioning at start-up.
 *
 * @param enabled           create missing topics through the Kafka admin client (default true)
 * @param partitions        partitions per topic name, overriding the topic's default
 * @param replicationFactor replication factor for new topics; unset uses the broker's default
 */
@ConfigurationProperties(TopicProvisioningProperties.PREFIX)
public record TopicProvisioningProperties(Boolean enabled, Map<String, Integer> partitions, Short replicationFactor) {

    public static final String PREFIX = "tim.kafka.topics";

    public TopicProvisioningProperties {
        enabled = enabled == null || enabled;
        partitions = partitions == null ? Map.of() : Map.copyOf(partitions);
    }

    int partitionsFor(TopicDefinition<?> topic) {
        return partitions.getOrDefault(topic.name(), topic.defaultPartitions());
    }
}
