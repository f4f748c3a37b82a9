package de.tim.routes.federationlist;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;

import de.tim.routes.RegistrationDatabase;

/**
 * The history of accepted federation lists, one document per version ({@code _id} = version), in collection
 * {@value #COLLECTION}. Inserts are idempotent: a version is stored once, by whichever instance comes first.
 */
@Repository
class FederationListRepository {

    static final String COLLECTION = "federation_list_versions";

    private final MongoCollection<Document> versions;

    FederationListRepository(MongoClient mongo, RegistrationDatabase database) {
        this.versions = mongo.getDatabase(database.database()).getCollection(COLLECTION);
        versions.createIndex(Indexes.descending("acceptedAt"));
    }

    /** Stores an accepted version; false when that version is already stored. */
    boolean insert(FederationList list) {
        try {
            versions.insertOne(new Document("_id", list.version())
                    .append("jws", list.jws())
                    .append("iat", Date.from(list.issuedAt()))
                    .append("exp", Date.from(list.expiresAt()))
                    .append("domainCount", list.domainCount())
                    .append("acceptedAt", Date.from(list.acceptedAt())));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Optional<FederationList> latest() {
        return Optional.ofNullable(versions.find().sort(Sorts.descending("_id")).limit(1).first()).map(FederationListRepository::read);
    }

    /** Accepted versions, newest first, without the JWS bodies. */
    List<FederationList> history(int limit) {
        List<FederationList> result = new ArrayList<>();
        for (Document document : versions.find().projection(new Document("jws", 0)).sort(Sorts.descending("_id")).limit(limit)) {
            result.add(read(document));
        }
        return result;
    }

    private static FederationList read(Document document) {
        return new FederationList(((Number) document.get("_id")).longValue(), document.getString("jws"),
                document.getDate("iat").toInstant(), document.getDate("exp").toInstant(),
                document.getInteger("domainCount", 0), document.getDate("acceptedAt").toInstant());
    }
}
