package de.tim.homeserver.domain;

import com.mongodb.client.MongoDatabase;

/**
 * Implemented by every capability repository that keeps collections in a domain's database. The
 * registry calls it when a domain becomes active (at start-up and when added at run time); it creates
 * the capability's indexes and must be idempotent. Rooms, events and sync plug in here.
 */
public interface DomainStorage {

    void initialize(MongoDatabase database);
}
