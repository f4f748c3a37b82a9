package de.tim.simulators.idp;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** The identities the IDP knows: from configuration and from the seed data. Thread-safe. */
@Component
public class IdpIdentities {

    private final Map<String, SmartcardIdentity> identities = new ConcurrentHashMap<>();

    public IdpIdentities(IdpProperties properties) {
        properties.identities().forEach(this::add);
    }

    public void add(SmartcardIdentity identity) {
        if (identity.id() == null || identity.telematikId() == null || identity.professionOid() == null) {
            throw new IllegalArgumentException("an IDP identity needs id, telematikId and professionOid");
        }
        identities.put(identity.id(), identity);
    }

    public Optional<SmartcardIdentity> find(String id) {
        return Optional.ofNullable(id).map(identities::get);
    }

    public Collection<SmartcardIdentity> all() {
        return List.copyOf(identities.values());
    }
}
