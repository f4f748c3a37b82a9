package de.tim.gateway.contactlist;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The contact management API (I_TiMessengerContactManagement, the "Freigabeliste") served by the gateway.
 *
 * @param basePath        where the API is served (the OpenAPI file's server path)
 * @param database        MongoDB database of the contact settings
 * @param title           {@code InfoObject.title}
 * @param description     {@code InfoObject.description} (operator name belongs here)
 * @param contact         {@code InfoObject.contact}
 * @param tokenCacheTtl   how long a verified Matrix OpenID token is trusted without asking the homeserver again
 * @param cleanupInterval how often expired contact settings are removed
 */
@ConfigurationProperties(ContactManagementProperties.PREFIX)
public record ContactManagementProperties(
        String basePath,
        String database,
        String title,
        String description,
        String contact,
        Duration tokenCacheTtl,
        Duration cleanupInterval) {

    public static final String PREFIX = "tim.gateway.contacts";
    /** Version of TiMessengerContactManagement.yaml implemented here. */
    public static final String API_VERSION = "1.0.2";

    public ContactManagementProperties {
        basePath = basePath == null ? "/tim-contact-mgmt/v" + API_VERSION : basePath;
        database = database == null ? "tim_contacts" : database;
        title = title == null ? "Contact Management des TI-Messengers" : title;
        tokenCacheTtl = tokenCacheTtl == null ? Duration.ofSeconds(60) : tokenCacheTtl;
        cleanupInterval = cleanupInterval == null ? Duration.ofMinutes(10) : cleanupInterval;
    }
}
