package de.tim.homeserver.http;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves every Client-Server {@code v3} endpoint also under the configured alias versions (older clients
 * still call {@code /_matrix/client/r0/...}): such a request is forwarded to the same path under {@code v3},
 * so it meets exactly the handler, checks and errors of the {@code v3} request. The Messenger-Proxy accepts
 * the same aliases for the same reason ({@code tim.gateway.routes.client-version-aliases}).
 */
public class ClientVersionAliasFilter extends OncePerRequestFilter {

    private static final String CLIENT = "/_matrix/client/";

    private final Set<String> aliases;

    public ClientVersionAliasFilter(Set<String> aliases) {
        this.aliases = Set.copyOf(aliases);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(CLIENT)) {
            int end = path.indexOf('/', CLIENT.length());
            if (end > 0 && aliases.contains(path.substring(CLIENT.length(), end))) {
                request.getRequestDispatcher(CLIENT + "v3" + path.substring(end)).forward(request, response);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
