package de.tim.push.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import de.tim.kafka.topics.PushNotificationRecord.Notification;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Matrix Push Gateway API. */
@RestController
@ConditionalOnProperty(prefix = PushGatewayProperties.PREFIX, name = "enabled", matchIfMissing = true)
class NotifyEndpoints {

    private final NotifyRequestParser parser;
    private final NotifyService service;
    private final PushGatewayProperties properties;

    NotifyEndpoints(NotifyRequestParser parser, NotifyService service, PushGatewayProperties properties) {
        this.parser = parser;
        this.service = service;
        this.properties = properties;
    }

    /** {@code POST /_matrix/push/v1/notify}: notify the devices; answers the rejected pushkeys. */
    @PostMapping(path = "/_matrix/push/v1/notify", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<String>> notify(HttpServletRequest request) throws IOException {
        int limit = properties.maxRequestBytes();
        if (request.getContentLengthLong() > limit) {
            throw MatrixException.tooLarge("Request body too large");
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(limit + 1);
        }
        if (body.length > limit) {
            throw MatrixException.tooLarge("Request body too large");
        }
        Notification notification = parser.parse(body);
        return Map.of("rejected", service.notify(notification));
    }
}
