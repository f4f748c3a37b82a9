package de.tim.homeserver.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #ACCESS}, {@value #REFRESH}, {@value #LOGIN} and {@value #OPENID}. Tokens are stored only as
 * SHA-256 hashes ({@code _id}), never in clear.
 */
@Component
class TokenRepository implements DomainStorage {

    static final String ACCESS = "access_tokens";
    static final String REFRESH = "refresh_tokens";
    static final String LOGIN = "login_tokens";
    static final String OPENID = "openid_tokens";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(ACCESS).createIndex(Indexes.ascending("user_id", "device_id"));
        database.getCollection(ACCESS).createIndex(Indexes.ascending("refresh_id"));
        database.getCollection(REFRESH).createIndex(Indexes.ascending("user_id", "device_id"));
        database.getCollection(LOGIN).createIndex(Indexes.ascending("expires_ts"));
        database.getCollection(OPENID).createIndex(Indexes.ascending("expires_ts"));
    }

    MongoCollection<Document> access(MongoDatabase database) {
        return database.getCollection(ACCESS);
    }

    MongoCollection<Document> refresh(MongoDatabase database) {
        return database.getCollection(REFRESH);
    }

    MongoCollection<Document> login(MongoDatabase database) {
        return database.getCollection(LOGIN);
    }

    void insertAccess(MongoDatabase database, Document token) {
        access(database).insertOne(token);
    }

    void insertRefresh(MongoDatabase database, Document token) {
        refresh(database).insertOne(token);
    }

    Document findAccess(MongoDatabase database, String hash) {
        return access(database).find(Filters.eq("_id", hash)).first();
    }

    Document findRefresh(MongoDatabase database, String hash) {
        return refresh(database).find(Filters.eq("_id", hash)).first();
    }

    void updateAccess(MongoDatabase database, String hash, Bson update) {
        access(database).updateOne(Filters.eq("_id", hash), update);
    }

    void unsetRevokeOnUse(MongoDatabase database, String accessHash, String refreshHash) {
        refresh(database).deleteOne(Filters.eq("_id", refreshHash));
        access(database).updateOne(Filters.eq("_id", accessHash), Updates.unset("revoke_on_use"));
    }

    void deleteAccess(MongoDatabase database, String hash) {
        access(database).deleteOne(Filters.eq("_id", hash));
    }

    void deleteAccessByRefresh(MongoDatabase database, String refreshHash) {
        access(database).deleteMany(Filters.eq("refresh_id", refreshHash));
    }

    void deleteRefresh(MongoDatabase database, String hash) {
        refresh(database).deleteOne(Filters.eq("_id", hash));
    }

    void deleteDevice(MongoDatabase database, String userId, String deviceId) {
        Bson filter = Filters.and(Filters.eq("user_id", userId), Filters.eq("device_id", deviceId));
        access(database).deleteMany(filter);
        refresh(database).deleteMany(filter);
    }

    void deleteUser(MongoDatabase database, String userId, String keepDeviceId) {
        Bson filter = keepDeviceId == null ? Filters.eq("user_id", userId)
                : Filters.and(Filters.eq("user_id", userId), Filters.ne("device_id", keepDeviceId));
        access(database).deleteMany(filter);
        refresh(database).deleteMany(filter);
    }

    void insertLogin(MongoDatabase database, Document token) {
        login(database).deleteMany(Filters.lt("expires_ts", System.currentTimeMillis()));
        login(database).insertOne(token);
    }

    void insertOpenId(MongoDatabase database, Document token) {
        database.getCollection(OPENID).deleteMany(Filters.lt("expires_ts", System.currentTimeMillis()));
        database.getCollection(OPENID).insertOne(token);
    }

    Document findOpenId(MongoDatabase database, String hash) {
        return database.getCollection(OPENID).find(Filters.eq("_id", hash)).first();
    }

    /** Consumes a login token: single use even with concurrent attempts. */
    Document takeLogin(MongoDatabase database, String hash) {
        return login(database).findOneAndDelete(Filters.eq("_id", hash));
    }
}
