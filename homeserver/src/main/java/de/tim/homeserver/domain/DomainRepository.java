package de.tim.homeserver.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;

/** The registry of run-time domains in the central database (collection {@value #COLLECTION}). */
final class DomainRepository {

    static final String COLLECTION = "domains";

    private final MongoCollection<Document> domains;

    DomainRepository(MongoClient client, String centralDatabase) {
        this.domains = client.getDatabase(centralDatabase).getCollection(COLLECTION);
        domains.createIndex(Indexes.ascending("database"), new IndexOptions().unique(true));
    }

    List<DomainProperties.DomainConfig> findAll() {
        List<DomainProperties.DomainConfig> all = new ArrayList<>();
        for (Document doc : domains.find()) {
            all.add(toConfig(doc));
        }
        return all;
    }

    /** Inserts the domain; false if a domain with that server name or database exists already. */
    boolean insert(DomainProperties.DomainConfig config) {
        Document doc = new Document("_id", config.serverName()).append("database", config.database())
                .append("hosts", config.hosts()).append("public_base_url", config.publicBaseUrl())
                .append("well_known_client", new Document(config.wellKnownClient()))
                .append("created_ts", System.currentTimeMillis());
        if (config.support() != null) {
            List<Document> contacts = config.support().contacts().stream()
                    .map(c -> new Document("role", c.role()).append("matrix_id", c.matrixId())
                            .append("email_address", c.emailAddress()))
                    .toList();
            doc.append("support", new Document("contacts", contacts).append("support_page", config.support().supportPage()));
        }
        try {
            domains.insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private static DomainProperties.DomainConfig toConfig(Document doc) {
        DomainProperties.Support support = null;
        Document s = doc.get("support", Document.class);
        if (s != null) {
            List<DomainProperties.Contact> contacts = s.getList("contacts", Document.class, List.of()).stream()
                    .map(c -> new DomainProperties.Contact(c.getString("role"), c.getString("matrix_id"),
                            c.getString("email_address")))
                    .toList();
            support = new DomainProperties.Support(contacts, s.getString("support_page"));
        }
        Document wk = doc.get("well_known_client", Document.class);
        Map<String, Object> wellKnown = wk == null ? Map.of() : new LinkedHashMap<>(wk);
        return new DomainProperties.DomainConfig(doc.getString("_id"), doc.getList("hosts", String.class, List.of()),
                doc.getString("database"), doc.getString("public_base_url"), wellKnown, support, null, null);
    }
}
