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

    /**
     * An account; {@code totp} is the sealed TOTP secret, {@code legacyTotpSecret} a plain one written before secrets
     * were encrypted (sealed on the account's next login).
     */
    record Account(String username, String telematikId, String passwordHash, TotpSecretCipher.Sealed totp,
                   String legacyTotpSecret, long lastTotpStep) {
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
                    .append("passwordHash", account.passwordHash()).append("totp", sealed(account.totp()))
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
                .map(d -> {
                    Document totp = d.get("totp", Document.class);
                    return new Account(d.getString("_id"), d.getString("telematikId"), d.getString("passwordHash"),
                            totp == null ? null : new TotpSecretCipher.Sealed(totp.getString("kid"), totp.getString("iv"), totp.getString("ct")),
                            d.getString("totpSecret"), ((Number) d.get("lastTotpStep")).longValue());
                });
    }

    /** Replaces the stored TOTP secret by one sealed with the active key (rotation, or a legacy plain secret). */
    void resealTotp(String username, TotpSecretCipher.Sealed totp) {
        accounts.updateOne(Filters.eq("_id", username), Updates.combine(Updates.set("totp", sealed(totp)), Updates.unset("totpSecret")));
    }

    private static Document sealed(TotpSecretCipher.Sealed totp) {
        return new Document("kid", totp.keyId()).append("iv", totp.iv()).append("ct", totp.ciphertext());
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
