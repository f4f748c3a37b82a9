package de.tim.routes.admin;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import de.tim.routes.RegistrationDatabase;

/**
 * Org-Admin accounts in {@value #ACCOUNTS} ({@code _id} = user name, unique per organisation) and their sessions in
 * {@value #SESSIONS} ({@code _id} = SHA-256 of the session token; expired sessions are refused and purged).
 */
@Repository
class AdminAccountRepository {

    static final String ACCOUNTS = "admin_accounts";
    static final String SESSIONS = "admin_sessions";

    record Account(String username, String telematikId, String passwordHash, String totpSecret, long lastTotpStep) {
    }

    enum Created { CREATED, ORGANISATION_HAS_ADMIN, USERNAME_TAKEN }

    private final MongoCollection<Document> accounts;
    private final MongoCollection<Document> sessions;

    AdminAccountRepository(MongoClient mongo, RegistrationDatabase database) {
        this.accounts = mongo.getDatabase(database.database()).getCollection(ACCOUNTS);
        this.sessions = mongo.getDatabase(database.database()).getCollection(SESSIONS);
        accounts.createIndex(Indexes.ascending("telematikId"), new IndexOptions().unique(true));
    }

    boolean organisationHasAdmin(String telematikId) {
        return accounts.find(Filters.eq("telematikId", telematikId)).first() != null;
    }

    Created create(Account account) {
        if (organisationHasAdmin(account.telematikId())) {
            return Created.ORGANISATION_HAS_ADMIN;
        }
        try {
            accounts.insertOne(new Document("_id", account.username()).append("telematikId", account.telematikId())
                    .append("passwordHash", account.passwordHash()).append("totpSecret", account.totpSecret())
                    .append("lastTotpStep", account.lastTotpStep()));
            return Created.CREATED;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return organisationHasAdmin(account.telematikId()) ? Created.ORGANISATION_HAS_ADMIN : Created.USERNAME_TAKEN;
        }
    }

    Optional<Account> find(String username) {
        return Optional.ofNullable(accounts.find(Filters.eq("_id", username)).first())
                .map(d -> new Account(d.getString("_id"), d.getString("telematikId"), d.getString("passwordHash"),
                        d.getString("totpSecret"), ((Number) d.get("lastTotpStep")).longValue()));
    }

    /** Records a used TOTP step; false if that step (or a later one) was already used (no replay). */
    boolean useTotpStep(String username, long step) {
        return accounts.updateOne(Filters.and(Filters.eq("_id", username), Filters.lt("lastTotpStep", step)),
                Updates.set("lastTotpStep", step)).getModifiedCount() == 1;
    }

    void createSession(byte[] tokenHash, AdminPrincipal principal, Instant expiresAt) {
        sessions.insertOne(new Document("_id", java.util.HexFormat.of().formatHex(tokenHash))
                .append("username", principal.username()).append("telematikId", principal.telematikId())
                .append("expiresAt", Date.from(expiresAt)));
    }

    Optional<AdminPrincipal> session(byte[] tokenHash, Instant now) {
        Document session = sessions.find(Filters.eq("_id", java.util.HexFormat.of().formatHex(tokenHash))).first();
        if (session == null || !session.getDate("expiresAt").toInstant().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new AdminPrincipal(session.getString("username"), session.getString("telematikId")));
    }

    void purgeSessions(Instant now) {
        sessions.deleteMany(Filters.lte("expiresAt", Date.from(now)));
    }
}
