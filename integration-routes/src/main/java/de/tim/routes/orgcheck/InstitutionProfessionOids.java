package de.tim.routes.orgcheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/** The institution ProfessionOIDs of gemSpec_OID Tab_PKI_403, read from one data file at start. */
@Component
public class InstitutionProfessionOids {

    private final Set<String> oids;

    public InstitutionProfessionOids(OrgCheckProperties properties, ResourceLoader resources) {
        Set<String> read = new HashSet<>();
        try (InputStream in = resources.getResource(properties.institutionOids()).getInputStream()) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    read.add(trimmed.split("\\s+", 2)[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + properties.institutionOids(), e);
        }
        if (read.isEmpty()) {
            throw new IllegalStateException(properties.institutionOids() + " lists no ProfessionOID");
        }
        this.oids = Set.copyOf(read);
    }

    public boolean isInstitution(String professionOid) {
        return professionOid != null && oids.contains(professionOid);
    }
}
