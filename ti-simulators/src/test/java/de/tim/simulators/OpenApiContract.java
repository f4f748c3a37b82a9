package de.tim.simulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

/** Validates recorded interactions against the gematik OpenAPI file I_VZD_TIM_Provider_Services.yaml. */
public final class OpenApiContract {

    /** Copies of gematik/api-vzd src/openapi/I_VZD_TIM_Provider_Services.yaml (1.3.0) and src/schema/FederationList.json. */
    public static final String PROVIDER_SERVICES = "/contracts/I_VZD_TIM_Provider_Services.yaml";
    public static final String FEDERATION_LIST_SCHEMA = "/contracts/FederationList.json";

    private static final OpenApiInteractionValidator VALIDATOR = create();

    private OpenApiContract() {
    }

    private static OpenApiInteractionValidator create() {
        try {
            return OpenApiInteractionValidator.createForInlineApiSpecification(resource(PROVIDER_SERVICES))
                    .withLevelResolver(LevelResolver.create()
                            // the spec declares OAuth2; the validator cannot check OAuth2 tokens
                            .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String name) throws IOException {
        try (var in = OpenApiContract.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Asserts that request and response conform to the OpenAPI file. */
    public static void assertConforms(String method, String pathWithQuery, String requestBody, SimulatorHttp.Response response) {
        assertConforms(method, pathWithQuery, requestBody, response, true);
    }

    /** Asserts that the response (and, if {@code requestIsValid}, the request) conform to the OpenAPI file. */
    public static void assertConforms(String method, String pathWithQuery, String requestBody, SimulatorHttp.Response response,
                                      boolean requestIsValid) {
        String path = pathWithQuery;
        String query = null;
        int q = pathWithQuery.indexOf('?');
        if (q >= 0) {
            path = pathWithQuery.substring(0, q);
            query = pathWithQuery.substring(q + 1);
        }
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                request.withQueryParam(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (requestBody != null) {
            request.withContentType("application/json").withBody(requestBody);
        }
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.status());
        String contentType = response.header("Content-Type");
        if (contentType != null) {
            builder.withContentType(contentType);
        }
        if (response.body() != null && !response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        Request built = request.build();
        ValidationReport report = VALIDATOR.validate(built, builder.build());
        assertThat(report.getMessages().stream()
                .filter(m -> requestIsValid || !m.getKey().startsWith("validation.request")).toList()).as("OpenAPI validation of %s %s -> %s", method, pathWithQuery, response.status())
                .isEmpty();
    }
}
