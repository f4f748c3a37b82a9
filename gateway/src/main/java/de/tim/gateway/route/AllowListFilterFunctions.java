package de.tim.gateway.route;

import java.util.Optional;

import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/** Forwards only canonical paths of offered endpoints with their method; everything else is a Matrix error. */
public final class AllowListFilterFunctions {

    /** Request attribute holding the {@link MatrixEndpoints.Found} match of an allowed request. */
    public static final String MATCH_ATTRIBUTE = AllowListFilterFunctions.class.getName() + ".match";

    private AllowListFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> allowListed(MatrixEndpoints endpoints) {
        return (request, next) -> {
            Optional<RequestPath> path = RequestPath.parse(request.servletRequest().getRequestURI());
            if (path.isEmpty()) {
                return MatrixErrorResponses.response(MatrixException.unrecognized(404, "Unrecognized request"));
            }
            String method = request.method().name();
            if (method.equals("HEAD")) {
                method = "GET";
            }
            if (method.equals("OPTIONS")) {
                return endpoints.match("GET", path.get()) instanceof MatrixEndpoints.Unknown
                        && endpoints.match("POST", path.get()) instanceof MatrixEndpoints.Unknown
                        && endpoints.match("PUT", path.get()) instanceof MatrixEndpoints.Unknown
                        && endpoints.match("DELETE", path.get()) instanceof MatrixEndpoints.Unknown
                        ? MatrixErrorResponses.response(MatrixException.unrecognized(404, "Unrecognized request"))
                        : next.handle(request);
            }
            return switch (endpoints.match(method, path.get())) {
                case MatrixEndpoints.Found found -> {
                    request.attributes().put(MATCH_ATTRIBUTE, found);
                    yield next.handle(request);
                }
                case MatrixEndpoints.WrongMethod ignored ->
                        MatrixErrorResponses.response(MatrixException.unrecognized(405, "Method not allowed"));
                case MatrixEndpoints.Unknown ignored ->
                        MatrixErrorResponses.response(MatrixException.unrecognized(404, "Unrecognized request"));
            };
        };
    }
}
