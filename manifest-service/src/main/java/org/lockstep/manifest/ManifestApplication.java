package org.lockstep.manifest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

// No user store: the API authenticates bearer tokens (auth.TokenRegistry), never passwords.
@SpringBootApplication(
        excludeName = "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration")
@ConfigurationPropertiesScan
public class ManifestApplication {

    public static void main(String[] args) {
        SpringApplication.run(ManifestApplication.class, args);
    }
}
