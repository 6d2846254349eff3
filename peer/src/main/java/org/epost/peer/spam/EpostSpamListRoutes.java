package org.epost.peer.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.spam.mail.AccountListPublisher;
import org.epost.spam.mail.AccountLogFollowedLists;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.FollowedLists;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.OrganizationSpamPolicy;
import org.epost.spam.policy.PublishedBlockLists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Published and followed block lists, and the domains that discard mail from senders on the organization's list.
 * <ul>
 *   <li>{@code PUT /epost/spam/users/{user}/published/{list}} on the user's home peer publishes the next version of
 *       their list {@code list}, signed with their own key: the body's {@code {"entries":[...]}}, or, without a body,
 *       their own block list, published again whenever it changes; 200 with the version. {@code GET} (any peer):
 *       the newest valid version found in PAST now. {@code DELETE} (home peer) unpublishes it: a withdrawn version,
 *       after which followers enforce none of its entries; 200 with the version.</li>
 *   <li>{@code GET /epost/spam/users/{user}/following}: the lists the user follows, as their home peer holds them
 *       (version -1 until one is accepted, and the last problem: not published, rejected, stale);
 *       {@code PUT} / {@code DELETE .../following/{publisher}/{list}} follow (and fetch now) or unfollow, 204.</li>
 *   <li>{@code GET /epost/spam/organization/discard}: the discarding domains; {@code PUT} / {@code DELETE
 *       .../discard/{domain}} publish the organization's block with that domain added or removed, 204.</li>
 * </ul>
 * 404 for a user homed on another peer, 400 for a bad list name, entry, address or domain, 409 past the most lists a
 * user may follow, 503 when PAST did not store a version.
 */
public class EpostSpamListRoutes implements Routes {
    public static final String PUBLISHED_PATH = EpostSpamRoutes.SPAM_PATH + "/users/:user/published/:list";
    public static final String FOLLOWING_PATH = EpostSpamRoutes.SPAM_PATH + "/users/:user/following";
    public static final String FOLLOWED_PATH = FOLLOWING_PATH + "/:publisher/:list";
    public static final String DISCARD_PATH = EpostSpamRoutes.SPAM_PATH + "/organization/discard";
    public static final String DISCARD_DOMAIN_PATH = DISCARD_PATH + "/:domain";
    private static final long TIMEOUT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A list as published or as held for a follower; {@code problem} is null when there is none. */
    public record ListBody(String publisher, String list, long version, List<String> entries, String problem) {
    }

    /** The lists a user follows. */
    public record Following(String user, List<ListBody> following) {
    }

    /** The domains discarding mail from senders on the organization's list. */
    public record Discarding(List<String> domains) {
    }

    private final AccountLogFollowedLists following;
    private final AccountListPublisher publisher;
    private final PublishedBlockLists published;
    private final OrganizationSpamList organization;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostSpamListRoutes(AccountLogFollowedLists following, AccountListPublisher publisher,
                               PublishedBlockLists published, OrganizationSpamList organization,
                               JsonTransformer jsonTransformer) {
        this.following = following;
        this.publisher = publisher;
        this.published = published;
        this.organization = organization;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostSpamRoutes.SPAM_PATH;
    }

    @Override
    public void define(Service service) {
        service.put(PUBLISHED_PATH, (request, response) -> {
            ListRef ref = ref(request.params("user"), request.params("list"));
            Optional<BlockList> entries = entries(request.body());
            AccountListPublisher.Published done = await(() -> publisher.publish(ref, entries), "published");
            response.type("application/json");
            return body(ref, done.version(), done.list(), Optional.empty());
        }, jsonTransformer);
        service.delete(PUBLISHED_PATH, (request, response) -> {
            ListRef ref = ref(request.params("user"), request.params("list"));
            AccountListPublisher.Published done = await(() -> publisher.withdraw(ref), "withdrawn");
            response.type("application/json");
            return body(ref, done.version(), done.list(), Optional.of(PublishedBlockLists.WITHDRAWN));
        }, jsonTransformer);
        service.get(PUBLISHED_PATH, (request, response) -> {
            ListRef ref = ref(request.params("user"), request.params("list"));
            PublishedBlockLists.Status status = await(() -> published.refresh(ref), "looked up");
            response.type("application/json");
            return body(ref, status.version(), status.list(), status.problem());
        }, jsonTransformer);
        service.get(FOLLOWING_PATH, (request, response) -> {
            String user = request.params("user");
            List<ListBody> lists = new ArrayList<>();
            for (ListRef ref : following.following(user).lists()) {
                published.get(ref); // looks it up again when due, as a delivery would
                PublishedBlockLists.Status status = published.status(ref);
                lists.add(body(ref, status.version(), status.list(), status.problem()));
            }
            response.type("application/json");
            return new Following(user, lists);
        }, jsonTransformer);
        service.put(FOLLOWED_PATH, (request, response) -> follow(following, request, response, true));
        service.delete(FOLLOWED_PATH, (request, response) -> follow(following, request, response, false));
        service.get(DISCARD_PATH, (request, response) -> {
            OrganizationSpamPolicy policy = await(organization::currentPolicy, "looked up");
            response.type("application/json");
            return new Discarding(List.copyOf(policy.discardDomains()));
        }, jsonTransformer);
        service.put(DISCARD_DOMAIN_PATH, (request, response) -> discard(request, response, true));
        service.delete(DISCARD_DOMAIN_PATH, (request, response) -> discard(request, response, false));
    }

    /** Follows or unfollows the list {@code :publisher/:list} of {@code lists}: 204, 404, 409 or 400. */
    static String follow(AccountLogFollowedLists following, Request request, Response response, boolean follow) {
        String user = request.params("user");
        ListRef ref = ref(request.params("publisher"), request.params("list"));
        try {
            if (follow) {
                following.follow(user, ref);
            } else {
                following.unfollow(user, ref);
            }
        } catch (FollowedLists.Full e) {
            throw halt(HttpStatus.CONFLICT_409, ErrorResponder.ErrorType.WRONG_STATE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw halt(HttpStatus.NOT_FOUND_404, ErrorResponder.ErrorType.NOT_FOUND, e.getMessage());
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private String discard(Request request, Response response, boolean discard) throws InterruptedException {
        String domain;
        try {
            domain = OrganizationSpamPolicy.domain(request.params("domain"));
        } catch (IllegalArgumentException e) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT, e.getMessage());
        }
        await(() -> organization.changePolicy(policy -> policy.discarding(domain, discard)), "published");
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    static ListRef ref(String publisher, String name) {
        try {
            return new ListRef(publisher, name);
        } catch (IllegalArgumentException e) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT, e.getMessage());
        }
    }

    /** The body's {@code entries}; empty without a body (publish the user's own list). */
    private static Optional<BlockList> entries(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode entries = JSON.readTree(body).get("entries");
            if (entries == null || !entries.isArray()) {
                throw new IllegalArgumentException("the body is {\"entries\":[address or @domain...]}");
            }
            List<String> read = new ArrayList<>();
            entries.forEach(entry -> read.add(entry.asText()));
            return Optional.of(BlockList.of(read));
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private static ListBody body(ListRef ref, long version, BlockList list, Optional<String> problem) {
        return new ListBody(ref.publisher(), ref.name(), version, List.copyOf(list.entries()), problem.orElse(null));
    }

    /** Waits for a ring operation: 404 for a user homed elsewhere, 400 for a list too large, 503 otherwise. */
    static <T> T await(Supplier<CompletableFuture<T>> operation, String what) throws InterruptedException {
        Throwable cause;
        try {
            return operation.get().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            cause = e.getCause();
        } catch (TimeoutException | RuntimeException e) {
            cause = e;
        }
        if (cause instanceof java.util.NoSuchElementException) {
            throw halt(HttpStatus.NOT_FOUND_404, ErrorResponder.ErrorType.NOT_FOUND, cause.getMessage());
        }
        if (cause instanceof IllegalArgumentException) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT, cause.getMessage());
        }
        throw halt(HttpStatus.SERVICE_UNAVAILABLE_503, ErrorResponder.ErrorType.SERVER_ERROR,
            "The list was not " + what + ": " + cause.getMessage());
    }

    static RuntimeException halt(int status, ErrorResponder.ErrorType type, String message) {
        return ErrorResponder.builder().statusCode(status).type(type).message(message).haltError();
    }
}
