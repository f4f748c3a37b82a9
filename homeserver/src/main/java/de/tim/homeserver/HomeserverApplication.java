package de.tim.homeserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Matrix homeserver of the TI-Messenger Fachdienst. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HomeserverApplication {

    public static void main(String[] args) {
        SpringApplication.run(HomeserverApplication.class, args);
    }
}
