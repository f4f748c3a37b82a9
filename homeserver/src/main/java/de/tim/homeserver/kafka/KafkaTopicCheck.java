package de.tim.homeserver.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;

import de.tim.kafka.topics.TopicDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates missing topics (one replica) before a consumer subscribes, so it does not wait for auto-creation. */
public final class KafkaTopicCheck {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopicCheck.class);

    private KafkaTopicCheck() {
    }

    public static void ensure(String bootstrapServers, List<TopicDefinition<?>> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> names = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !names.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.defaultPartitions(), (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn("Could not check topics: {}", e.toString());
            }
        }
    }
}
