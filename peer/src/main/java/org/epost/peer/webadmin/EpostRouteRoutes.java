package org.epost.peer.webadmin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.interop.routes.Route;
import org.epost.interop.routes.RouteStore;
import org.epost.interop.routes.RouteTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import spark.HaltException;
import spark.Request;
import spark.Service;

/**
 * The peer's split-delivery routes (see {@link RouteStore}):
 * <ul>
 *   <li>{@code GET /epost/routes}: {@code {"domains":{domain: route}, "users":{address: route}}};</li>
 *   <li>{@code PUT|GET|DELETE /epost/routes/domains/{domain}}: a domain's default route;</li>
 *   <li>{@code PUT|DELETE /epost/routes/users/{address}}: a user's own route; {@code GET} answers the user's
 *       effective route and where it comes from ({@code user}, {@code domain} or {@code default}: ePOST).</li>
 * </ul>
 * A route is {@code {"kind":"epost"}} or {@code {"kind":"legacy","host":"mail.example.com","port":25,
 * "protocol":"smtp"}} ({@code protocol} smtp or lmtp, default smtp). Only domains of this James server have routes.
 */
public class EpostRouteRoutes implements Routes {
    public static final String BASE = EpostStatusRoutes.BASE_PATH + "/routes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RouteStore routes;
    private final DomainList domains;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostRouteRoutes(RouteStore routes, DomainList domains, JsonTransformer jsonTransformer) {
        this.routes = routes;
        this.domains = domains;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> {
            response.type("application/json");
            return table(routes.table());
        }, jsonTransformer);
        service.get(BASE + "/domains/:domain", (request, response) -> {
            response.type("application/json");
            String domain = domain(request);
            Route route = routes.table().domains().get(domain);
            if (route == null) {
                throw notFound("no default route for " + domain + " (its users go to ePOST)");
            }
            return json(route);
        }, jsonTransformer);
        service.put(BASE + "/domains/:domain", (request, response) -> {
            routes.setDomain(domain(request), Optional.of(route(request)));
            return Responses.returnNoContent(response);
        });
        service.delete(BASE + "/domains/:domain", (request, response) -> {
            routes.setDomain(domain(request), Optional.empty());
            return Responses.returnNoContent(response);
        });
        service.get(BASE + "/users/:user", (request, response) -> {
            response.type("application/json");
            String user = user(request);
            RouteTable.Resolved resolved = routes.table().resolve(user);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("user", user);
            answer.put("route", json(resolved.route()));
            answer.put("source", resolved.source().name().toLowerCase(Locale.ROOT));
            return answer;
        }, jsonTransformer);
        service.put(BASE + "/users/:user", (request, response) -> {
            routes.setUser(user(request), Optional.of(route(request)));
            return Responses.returnNoContent(response);
        });
        service.delete(BASE + "/users/:user", (request, response) -> {
            routes.setUser(user(request), Optional.empty());
            return Responses.returnNoContent(response);
        });
    }

    static Map<String, Object> table(RouteTable table) {
        Map<String, Object> domainRoutes = new LinkedHashMap<>();
        table.domains().forEach((domain, route) -> domainRoutes.put(domain, json(route)));
        Map<String, Object> userRoutes = new LinkedHashMap<>();
        table.users().forEach((user, route) -> userRoutes.put(user, json(route)));
        return Map.of("domains", domainRoutes, "users", userRoutes);
    }

    static Map<String, Object> json(Route route) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", route.kind().name().toLowerCase(Locale.ROOT));
        if (route.isLegacy()) {
            json.put("host", route.host());
            json.put("port", route.port());
            json.put("protocol", route.protocol().name().toLowerCase(Locale.ROOT));
        }
        return json;
    }

    private String domain(Request request) throws DomainListException {
        String name = request.params("domain").toLowerCase(Locale.ROOT);
        Domain domain;
        try {
            domain = Domain.of(name);
        } catch (IllegalArgumentException e) {
            throw badRequest("not a domain: " + name);
        }
        if (!domains.containsDomain(domain)) {
            throw notFound(name + " is not a domain of this server");
        }
        return name;
    }

    private String user(Request request) throws DomainListException {
        String address = request.params("user").toLowerCase(Locale.ROOT);
        MailAddress mailAddress;
        try {
            mailAddress = new MailAddress(address);
        } catch (Exception e) {
            throw badRequest("not a mail address: " + address);
        }
        if (!domains.containsDomain(mailAddress.getDomain())) {
            throw notFound(mailAddress.getDomain().asString() + " is not a domain of this server");
        }
        return address;
    }

    private static Route route(Request request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (Exception e) {
            throw badRequest("the body is not JSON: " + e.getMessage());
        }
        if (body == null || !body.isObject()) {
            throw badRequest("the body must be a JSON object such as {\"kind\":\"legacy\",\"host\":\"mail.example.com\","
                + "\"port\":25,\"protocol\":\"smtp\"} or {\"kind\":\"epost\"}");
        }
        String kind = body.path("kind").asText("");
        try {
            switch (kind) {
                case "epost":
                    return Route.epost();
                case "legacy":
                    if (!body.path("port").isInt()) {
                        throw badRequest("a legacy route needs a numeric port");
                    }
                    String protocol = body.path("protocol").asText("smtp").toUpperCase(Locale.ROOT);
                    if (!protocol.equals("SMTP") && !protocol.equals("LMTP")) {
                        throw badRequest("protocol must be smtp or lmtp, not " + protocol.toLowerCase(Locale.ROOT));
                    }
                    return Route.legacy(body.path("host").asText(""), body.path("port").asInt(),
                        Route.Protocol.valueOf(protocol));
                default:
                    throw badRequest("kind must be epost or legacy, not '" + kind + "'");
            }
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    static HaltException badRequest(String message) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.BAD_REQUEST_400)
            .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
            .message(message)
            .haltError();
    }

    static HaltException notFound(String message) {
        return ErrorResponder.builder()
            .statusCode(HttpStatus.NOT_FOUND_404)
            .type(ErrorResponder.ErrorType.NOT_FOUND)
            .message(message)
            .haltError();
    }
}
