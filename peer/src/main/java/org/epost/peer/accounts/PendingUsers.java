package org.epost.peer.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.AccountException;
import org.epost.post.accounts.CertificationRequest;
import org.epost.post.accounts.UserCertification;

/**
 * The users of a peer without the user CA key who still wait for {@code POST /epost/users/{user}/certificate}: shown
 * by {@code /epost/status}, and a degraded health once one waits longer than {@link #OVERDUE} (RCPT to such a user is
 * refused on every peer until then, so a forgotten request is mail lost for the user).
 */
public class PendingUsers {
    /** At most this many addresses are listed (oldest first): the status stays small with many pending. */
    public static final int LISTED = 100;
    public static final Duration OVERDUE = Duration.ofDays(1);

    /** How many wait, the oldest {@link #LISTED} addresses, and how many wait longer than {@link #OVERDUE}. */
    public record Summary(int count, List<String> addresses, int overdue, String oldestSince) {
        public Summary {
            addresses = List.copyOf(addresses);
        }

        static Summary of(List<CertificationRequest> requests, Instant now) {
            List<CertificationRequest> oldestFirst = requests.stream()
                .sorted(Comparator.comparingLong(CertificationRequest::createdMillis)
                    .thenComparing(CertificationRequest::address))
                .toList();
            long overdueBefore = now.minus(OVERDUE).toEpochMilli();
            int overdue = (int) oldestFirst.stream().filter(r -> r.createdMillis() < overdueBefore).count();
            return new Summary(oldestFirst.size(), oldestFirst.stream().limit(LISTED)
                .map(CertificationRequest::address).toList(), overdue, oldestFirst.isEmpty() ? null
                : Instant.ofEpochMilli(oldestFirst.get(0).createdMillis()).toString());
        }
    }

    private final PostReadiness post;

    @Inject
    public PendingUsers(PostReadiness post) {
        this.post = post;
    }

    /** Empty when POST is not running or this peer holds the user CA key (it has no pending users). */
    public Optional<Summary> summary(Instant now) throws AccountException {
        Optional<UserCertification> certification = post.ifRunning()
            .flatMap(PostServices::certification);
        if (certification.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Summary.of(certification.get().requests(), now));
    }
}
