package org.epost.peer.webadmin;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.overlay.id.Id;
import org.epost.overlay.past.protocol.InsertResult;
import org.epost.overlay.security.RevocationList;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.revocation.RevocationBlocks;
import org.epost.post.revocation.RevocationFollower;

import spark.Request;
import spark.Service;

/**
 * {@code GET /epost/revocations}: the organization's revocation list this peer enforces (on its overlay links and on
 * user certificates), whether it is overdue, and when PAST was last asked. {@code POST /epost/revocations} with the
 * block {@code epost-admin revoke} wrote as body: the peer checks it (the organization's block, a list its authority
 * signed), enforces it at once and inserts it into PAST, where every other peer reads it at its next poll.
 */
public class EpostRevocationRoutes implements Routes {
    public static final String REVOCATIONS_PATH = EpostStatusRoutes.BASE_PATH + "/revocations";
    private static final long TIMEOUT_SECONDS = 30;

    /** The JSON body of GET: revoked node ids and user key hashes in hex; empty lists and number 0 when none. */
    public record Revocations(long number, String issuedAt, String nextUpdate, boolean stale, String lastPolled,
                              List<String> nodes, List<String> userKeys) {
    }

    /** The JSON body of POST: the list now enforced here, and what PAST answered to its insert. */
    public record Published(long number, long enforced, String stored, String detail) {
    }

    private final PostReadiness post;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostRevocationRoutes(PostReadiness post, JsonTransformer jsonTransformer) {
        this.post = post;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return REVOCATIONS_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(REVOCATIONS_PATH, (request, response) -> {
            response.type("application/json");
            return revocations(follower());
        }, jsonTransformer);
        service.post(REVOCATIONS_PATH, (request, response) -> {
            response.type("application/json");
            return publish(follower(), request);
        }, jsonTransformer);
    }

    private RevocationFollower follower() {
        return post.ifRunning().map(PostServices::revocations).orElseThrow(() -> ErrorResponder.builder()
            .statusCode(HttpStatus.NOT_FOUND_404)
            .type(ErrorResponder.ErrorType.NOT_FOUND)
            .message("This peer runs no POST (post.domains), which follows the revocation list")
            .haltError());
    }

    /** What GET answers for {@code follower}'s current state. */
    public static Revocations revocations(RevocationFollower follower) {
        String polled = follower.lastPolled() < 0 ? null : Instant.ofEpochMilli(follower.lastPolled()).toString();
        return follower.current().map(list -> new Revocations(list.number(), list.issuedAt().toString(),
                list.nextUpdate().toString(), follower.stale(), polled, hex(list.nodes()), hex(list.userKeys())))
            .orElse(new Revocations(0, null, null, false, polled, List.of(), List.of()));
    }

    private static List<String> hex(java.util.Collection<Id> ids) {
        return ids.stream().map(Id::toHex).toList();
    }

    private Published publish(RevocationFollower follower, Request request) throws Exception {
        byte[] body = request.bodyAsBytes();
        RevocationList list;
        InsertResult result;
        try {
            list = RevocationBlocks.unwrap(RevocationBlocks.verify(body, follower.userCa(), follower.clock()));
            result = follower.publish(body).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("Not a revocation list of this organization: " + e.getMessage())
                .haltError();
        } catch (ExecutionException | TimeoutException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.BAD_GATEWAY_502)
                .type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("The list is enforced on this peer but PAST did not store it: " + e)
                .haltError();
        }
        long enforced = follower.current().map(RevocationList::number).orElse(0L);
        return new Published(list.number(), enforced, result.status().name(), result.detail());
    }
}
