package de.tim.kafka.topics;

import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares every topic of {@link TimTopics} as a {@link NewTopic}, so Spring's {@link KafkaAdmin} creates
 * missing ones when the application starts. Existing topics are left as they are.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(KafkaAdmin.class)
@ConditionalOnProperty(prefix = TopicProvisioningProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TopicProvisioningProperties.class)
public class TopicProvisioningAutoConfiguration {

    @Bean
    KafkaAdmin.NewTopics timTopics(TopicProvisioningProperties properties) {
        return new KafkaAdmin.NewTopics(TimTopics.ALL.stream()
                .map(topic -> {
                    TopicBuilder builder = TopicBuilder.name(topic.name()).partitions(properties.partitionsFor(topic));
                    Optional.ofNullable(properties.replicationFactor()).ifPresent(builder::replicas);
                    return builder.build();
                })
                .toArray(NewTopic[]::new));
    }
}
