package de.tim.gateway.contactlist;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.matrix.id.UserId;
import org.bson.Document;

/** Owns the {@value #COLLECTION} collection: one document per (owner, contact). */
class ContactSettingRepository {

    static final String COLLECTION = "contact_settings";

    private final MongoCollection<Document> settings;

    ContactSettingRepository(MongoClient client, String database) {
        this.settings = client.getDatabase(database).getCollection(COLLECTION);
        settings.createIndex(Indexes.ascending("owner", "contact"), new IndexOptions().unique(true).name("owner_contact"));
        settings.createIndex(Indexes.ascending("end"), new IndexOptions().name("end"));
    }

    List<ContactSetting> findAll(UserId owner) {
        List<ContactSetting> result = new ArrayList<>();
        settings.find(eq("owner", owner.value())).sort(Indexes.ascending("contact")).forEach(d -> result.add(read(d)));
        return result;
    }

    Optional<ContactSetting> find(UserId owner, UserId contact) {
        return Optional.ofNullable(settings.find(key(owner, contact)).first()).map(ContactSettingRepository::read);
    }

    /** Inserts a new setting; false when one for this contact exists already. */
    boolean insert(ContactSetting setting) {
        try {
            settings.insertOne(write(setting));
            return true;
        } catch (MongoWriteException e) {
            if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Replaces an existing setting; false when there is none. */
    boolean replace(ContactSetting setting) {
        return settings.replaceOne(key(setting.owner(), setting.contact()), write(setting), new ReplaceOptions().upsert(false))
                .getMatchedCount() == 1;
    }

    boolean delete(UserId owner, UserId contact) {
        return settings.deleteOne(key(owner, contact)).getDeletedCount() == 1;
    }

    /** Removes every setting whose end lies before {@code now}; returns how many. */
    long deleteExpired(Instant now) {
        return settings.deleteMany(lt("end", now.getEpochSecond())).getDeletedCount();
    }

    private static org.bson.conversions.Bson key(UserId owner, UserId contact) {
        return and(eq("owner", owner.value()), eq("contact", contact.value()));
    }

    private static Document write(ContactSetting s) {
        Document d = new Document("owner", s.owner().value())
                .append("contact", s.contact().value())
                .append("displayName", s.displayName())
                .append("start", s.start());
        if (s.end() != null) {
            d.append("end", s.end());
        }
        return d;
    }

    private static ContactSetting read(Document d) {
        Number end = d.get("end", Number.class);
        return new ContactSetting(UserId.parseHistorical(d.getString("owner")), UserId.parseHistorical(d.getString("contact")),
                d.getString("displayName"), d.get("start", Number.class).longValue(), end == null ? null : end.longValue());
    }
}
