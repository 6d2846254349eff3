package org.epost.peer.webadmin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.peer.accounts.Certifications;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.crypto.Hashes;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Certifying a user on a peer without the user CA key:
 * <ul>
 *   <li>{@code GET /epost/users/{user}/certification-request} → 200 {@code {"address":..,"request":"<base64>",
 *       "created":..,"signingKey":"<sha-256 hex>"}}: the pending request, for {@code epost-admin certify-user
 *       --request FILE}; 404 when the user is not pending here;</li>
 *   <li>{@code GET /epost/certification-requests} → 200 {@code [{"address":..,"request":..,"created":..,
 *       "signingKey":..}]}: every user pending on this peer;</li>
 *   <li>{@code POST /epost/users/{user}/certificate} with the body {@code epost-admin certify-user} wrote (base64)
 *       → 200 {@code {"address":..,"certificateExpires":..,"signingKey":..}}: the account is finished, the user is an
 *       ePOST recipient.</li>
 * </ul>
 * Refusals: 400 with the reason (not signed by the organization's user CA, another address, other keys than the
 * request's, expired, not base64), 404 (no such user or request), 409 (nothing pending, or this peer holds the key).
 */
public class EpostCertificationRoutes implements Routes {
    public static final String REQUEST_PATH = EpostStatusRoutes.BASE_PATH + "/users/:user/certification-request";
    public static final String CERTIFICATE_PATH = EpostStatusRoutes.BASE_PATH + "/users/:user/certificate";
    public static final String PENDING_PATH = EpostStatusRoutes.BASE_PATH + "/certification-requests";

    public record PendingRequest(String address, String request, String created, String signingKey) {
    }

    public record Certified(String address, String certificateExpires, String signingKey) {
    }

    private final Certifications certifications;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostCertificationRoutes(Certifications certifications, JsonTransformer jsonTransformer) {
        this.certifications = certifications;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostStatusRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(REQUEST_PATH, this::request, jsonTransformer);
        service.get(PENDING_PATH, this::pending, jsonTransformer);
        service.post(CERTIFICATE_PATH, this::certificate, jsonTransformer);
    }

    private PendingRequest request(Request request, Response response) throws Exception {
        try {
            CertificationRequest pending = certifications.request(request.params("user"));
            response.type("application/json");
            return shown(pending);
        } catch (Certifications.Refusal e) {
            throw refusal(e);
        }
    }

    private List<PendingRequest> pending(Request request, Response response) throws Exception {
        try {
            List<PendingRequest> shown = certifications.requests().stream().map(EpostCertificationRoutes::shown)
                .toList();
            response.type("application/json");
            return shown;
        } catch (Certifications.Refusal e) {
            throw refusal(e);
        }
    }

    private static PendingRequest shown(CertificationRequest pending) {
        return new PendingRequest(pending.address(), Base64.getEncoder().encodeToString(pending.encoded()),
            Instant.ofEpochMilli(pending.createdMillis()).toString(), fingerprint(pending.signingKey().getEncoded()));
    }

    private Certified certificate(Request request, Response response) throws Exception {
        byte[] certificate;
        try {
            certificate = Base64.getDecoder().decode(new String(request.bodyAsBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder().statusCode(HttpStatus.BAD_REQUEST_400)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("Expected the certificate epost-admin certify-user wrote (base64): " + e.getMessage())
                .haltError();
        }
        try {
            UserCertificate installed = certifications.complete(request.params("user"), certificate);
            response.type("application/json");
            return new Certified(installed.address(), Instant.ofEpochMilli(installed.notAfter()).toString(),
                fingerprint(installed.signingKey().getEncoded()));
        } catch (Certifications.Refusal e) {
            throw refusal(e);
        }
    }

    private static RuntimeException refusal(Certifications.Refusal e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ErrorResponder.builder().statusCode(HttpStatus.NOT_FOUND_404)
                .type(ErrorResponder.ErrorType.NOT_FOUND).message(e.getMessage()).haltError();
            case CONFLICT -> ErrorResponder.builder().statusCode(HttpStatus.CONFLICT_409)
                .type(ErrorResponder.ErrorType.WRONG_STATE).message(e.getMessage()).haltError();
            case INVALID -> ErrorResponder.builder().statusCode(HttpStatus.BAD_REQUEST_400)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT).message(e.getMessage()).haltError();
        };
    }

    private static String fingerprint(byte[] x509) {
        return HexFormat.of().formatHex(Hashes.sha256(x509));
    }
}
