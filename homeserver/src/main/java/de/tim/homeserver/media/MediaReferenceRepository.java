package de.tim.homeserver.media;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #REFERENCES}: one document per owner and {@code mxc://} URI it references
 * ({@code _id} owner + URI, {@code owner} a room id or {@code profile:<user id>}, {@code server_name},
 * {@code media_id}). Written before the referencing event is stored; removed when its room is purged.
 */
@Component
class MediaReferenceRepository implements DomainStorage {

    static final String REFERENCES = "media_references";
    static final String PROFILE = "profile:";

    @Override
    public void initialize(MongoDatabase database) {
        references(database).createIndex(Indexes.ascending("owner"));
        references(database).createIndex(Indexes.ascending("media_id", "server_name"));
    }

    private static MongoCollection<Document> references(MongoDatabase database) {
        return database.getCollection(REFERENCES);
    }

    private static String id(String owner, MediaUris.MxcUri uri) {
        return owner + " " + uri.uri();
    }

    /** Records that {@code owner} references {@code uri}; idempotent. */
    void add(MongoDatabase database, String owner, MediaUris.MxcUri uri, long now) {
        references(database).replaceOne(Filters.eq("_id", id(owner, uri)),
                new Document("_id", id(owner, uri)).append("owner", owner).append("server_name", uri.serverName())
                        .append("media_id", uri.mediaId()).append("ts", now),
                new ReplaceOptions().upsert(true));
    }

    void remove(MongoDatabase database, String owner, MediaUris.MxcUri uri) {
        references(database).deleteOne(Filters.eq("_id", id(owner, uri)));
    }

    /** Up to {@code limit} URIs referenced by {@code owner}. */
    List<MediaUris.MxcUri> ofOwner(MongoDatabase database, String owner, int limit) {
        List<MediaUris.MxcUri> result = new ArrayList<>();
        references(database).find(Filters.eq("owner", owner)).limit(limit)
                .forEach(d -> result.add(new MediaUris.MxcUri(d.getString("server_name"), d.getString("media_id"))));
        return result;
    }

    /** Owners referencing the URI other than {@code except} (null: all), at most {@code limit}. */
    List<String> owners(MongoDatabase database, MediaUris.MxcUri uri, String except, int limit) {
        List<String> result = new ArrayList<>();
        references(database).find(Filters.and(Filters.eq("media_id", uri.mediaId()),
                Filters.eq("server_name", uri.serverName()))).limit(limit + 1)
                .forEach(d -> {
                    String owner = d.getString("owner");
                    if (!owner.equals(except) && result.size() < limit) {
                        result.add(owner);
                    }
                });
        return result;
    }

    private static final String PROFILES_BACKFILLED = "marker:profiles-backfilled";

    boolean profilesBackfilled(MongoDatabase database) {
        return references(database).find(Filters.eq("_id", PROFILES_BACKFILLED)).first() != null;
    }

    void markProfilesBackfilled(MongoDatabase database) {
        references(database).replaceOne(Filters.eq("_id", PROFILES_BACKFILLED),
                new Document("_id", PROFILES_BACKFILLED).append("owner", PROFILES_BACKFILLED),
                new ReplaceOptions().upsert(true));
    }

    boolean referenced(MongoDatabase database, MediaUris.MxcUri uri) {
        return !owners(database, uri, null, 1).isEmpty();
    }

    boolean referencedByProfile(MongoDatabase database, MediaUris.MxcUri uri) {
        return references(database).find(Filters.and(Filters.eq("media_id", uri.mediaId()),
                Filters.eq("server_name", uri.serverName()), Filters.regex("owner", "^" + PROFILE))).first() != null;
    }
}
