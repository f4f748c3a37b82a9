package de.tim.homeserver.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: one document per local user, {@code _id} = user id. */
@Component
class UserRepository implements DomainStorage {

    static final String COLLECTION = "users";

    @Override
    public void initialize(MongoDatabase database) {
        MongoCollection<Document> users = database.getCollection(COLLECTION);
        users.createIndex(Indexes.ascending("localpart_lc"));
        users.createIndex(Indexes.ascending("displayname_lc"));
    }

    private static MongoCollection<Document> users(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    /** Inserts; false when the user id exists already. */
    boolean insert(MongoDatabase database, Document user) {
        try {
            users(database).insertOne(user);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Document find(MongoDatabase database, String userId) {
        return users(database).find(Filters.eq("_id", userId)).first();
    }

    boolean update(MongoDatabase database, String userId, Bson update) {
        return users(database).updateOne(Filters.eq("_id", userId),
                Updates.combine(update, Updates.set("updated_ts", System.currentTimeMillis()))).getMatchedCount() > 0;
    }

    List<Document> page(MongoDatabase database, int from, int limit, String name, boolean includeDeactivated) {
        return users(database).find(listFilter(name, includeDeactivated)).sort(Sorts.ascending("_id"))
                .skip(from).limit(limit).into(new ArrayList<>());
    }

    long count(MongoDatabase database, String name, boolean includeDeactivated) {
        return users(database).countDocuments(listFilter(name, includeDeactivated));
    }

    /** Case-insensitive substring search on localpart and display name among active users. */
    List<Document> search(MongoDatabase database, String term, int limit) {
        Pattern contains = Pattern.compile(Pattern.quote(term.toLowerCase(Locale.ROOT)));
        Bson filter = Filters.and(Filters.ne("deactivated", true),
                Filters.or(Filters.regex("localpart_lc", contains), Filters.regex("displayname_lc", contains)));
        return users(database).find(filter).sort(Sorts.ascending("_id")).limit(limit).into(new ArrayList<>());
    }

    private static Bson listFilter(String name, boolean includeDeactivated) {
        List<Bson> filters = new ArrayList<>();
        if (!includeDeactivated) {
            filters.add(Filters.ne("deactivated", true));
        }
        if (name != null && !name.isEmpty()) {
            Pattern contains = Pattern.compile(Pattern.quote(name.toLowerCase(Locale.ROOT)));
            filters.add(Filters.or(Filters.regex("localpart_lc", contains), Filters.regex("displayname_lc", contains)));
        }
        return filters.isEmpty() ? new Document() : Filters.and(filters);
    }
}
