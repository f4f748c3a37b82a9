package de.tim.push.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the push application keeps its state (duplicate suppression, room activity, retention policies and audit).
 * The connection itself is Spring Boot's {@code spring.data.mongodb.uri}.
 *
 * @param database MongoDB database name (default {@code tim_push})
 */
@ConfigurationProperties(PushMongoProperties.PREFIX)
public record PushMongoProperties(String database) {

    public static final String PREFIX = "tim.push.mongo";

    public PushMongoProperties {
        database = database == null || database.isBlank() ? "tim_push" : database;
    }
}
