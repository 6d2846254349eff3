package org.epost.peer.spam;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.peer.webadmin.EpostStatusRoutes;
import org.epost.spam.mail.AccountLogBlockLists;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.SpamCounters;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * A user's personal block list on their home peer, the one junk learning fills: {@code GET
 * /epost/spam/users/{user}/blocked} lists it, {@code PUT .../blocked/{entry}} adds an address or {@code @domain},
 * {@code DELETE .../blocked/{entry}} removes it (204 either way). {@code GET /epost/spam/counters}: what the defences
 * did since start. A user without mailboxes on this peer is a 404 (their list is kept on their home peer), an entry
 * that is no address or {@code @domain} a 400. The organization's list, on any peer with ePOST domains: {@code GET
 * /epost/spam/organization/blocked} (the newest version in PAST), {@code PUT} / {@code DELETE
 * .../organization/blocked/{entry}} publish its next version, signed with the organization's authority (204; 503 when
 * it cannot be stored). The allow list, the same way under {@code /epost/spam/users/{user}/allowed}: senders that
 * need no first-contact puzzle and that the user's own block list never junks.
 */
public class EpostSpamRoutes implements Routes {
    public static final String SPAM_PATH = EpostStatusRoutes.BASE_PATH + "/spam";
    public static final String BLOCKED_PATH = SPAM_PATH + "/users/:user/blocked";
    public static final String ENTRY_PATH = BLOCKED_PATH + "/:entry";
    public static final String ALLOWED_PATH = SPAM_PATH + "/users/:user/allowed";
    public static final String ALLOWED_ENTRY_PATH = ALLOWED_PATH + "/:entry";
    public static final String COUNTERS_PATH = SPAM_PATH + "/counters";
    public static final String ORGANIZATION_PATH = SPAM_PATH + "/organization/blocked";
    public static final String ORGANIZATION_ENTRY_PATH = ORGANIZATION_PATH + "/:entry";
    private static final long TIMEOUT_SECONDS = 30;

    /** The JSON body of a user's list. */
    public record Blocked(String user, List<String> entries) {
    }

    /** The JSON body of a user's allow list. */
    public record Allowed(String user, List<String> entries) {
    }

    /** The JSON body of the organization's list: its version in PAST (-1: never published). */
    public record OrganizationBlocked(long version, List<String> entries) {
    }

    private final AccountLogBlockLists lists;
    private final AccountLogBlockLists allowed;
    private final SpamCounters counters;
    private final OrganizationSpamList organization;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostSpamRoutes(AccountLogBlockLists lists, @Named("allowed") AccountLogBlockLists allowed,
                           SpamCounters counters, OrganizationSpamList organization, JsonTransformer jsonTransformer) {
        this.lists = lists;
        this.allowed = allowed;
        this.organization = organization;
        this.counters = counters;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return SPAM_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BLOCKED_PATH, (request, response) -> entries(lists, request, response, Blocked::new),
            jsonTransformer);
        service.put(ENTRY_PATH, (request, response) -> change(lists, request, response, true));
        service.delete(ENTRY_PATH, (request, response) -> change(lists, request, response, false));
        service.get(ALLOWED_PATH, (request, response) -> entries(allowed, request, response, Allowed::new),
            jsonTransformer);
        service.put(ALLOWED_ENTRY_PATH, (request, response) -> change(allowed, request, response, true));
        service.delete(ALLOWED_ENTRY_PATH, (request, response) -> change(allowed, request, response, false));
        service.get(ORGANIZATION_PATH, (request, response) -> {
            response.type("application/json");
            OrganizationSpamList.Versioned current = organization.current().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new OrganizationBlocked(current.version(), List.copyOf(current.list().entries()));
        }, jsonTransformer);
        service.put(ORGANIZATION_ENTRY_PATH, (request, response) -> publish(request, response, true));
        service.delete(ORGANIZATION_ENTRY_PATH, (request, response) -> publish(request, response, false));
        service.get(COUNTERS_PATH, (request, response) -> {
            response.type("application/json");
            return counters.snapshot();
        }, jsonTransformer);
    }

    /** The JSON body of {@code user}'s list in {@code list}. */
    private static <T> T entries(AccountLogBlockLists list, Request request, Response response,
                                 BiFunction<String, List<String>, T> body) {
        response.type("application/json");
        String user = request.params("user");
        return body.apply(user, List.copyOf(list.of(user).entries()));
    }

    private String publish(Request request, Response response, boolean block) throws Exception {
        String entry = entry(request);
        try {
            organization.change(list -> block ? list.with(entry) : list.without(entry))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.SERVICE_UNAVAILABLE_503)
                .type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("The organization block list was not published: " + cause.getMessage())
                .haltError();
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private static String entry(Request request) {
        try {
            return BlockList.entry(request.params("entry"));
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("A list entry is an address or @domain: " + e.getMessage())
                .haltError();
        }
    }

    private String change(AccountLogBlockLists list, Request request, Response response, boolean add) {
        String user = request.params("user");
        String entry = entry(request);
        try {
            if (add) {
                list.block(user, entry);
            } else {
                list.unblock(user, entry);
            }
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .type(ErrorResponder.ErrorType.NOT_FOUND)
                .message(e.getMessage())
                .haltError();
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }
}
