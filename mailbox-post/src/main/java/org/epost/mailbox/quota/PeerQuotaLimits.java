package org.epost.mailbox.quota;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.epost.mailbox.model.QuotaLimit;
import org.epost.mailbox.model.QuotaResource;

/**
 * The limits an admin set for this whole peer and per domain (a user's own limits are in their account log). Like
 * James's other configuration they belong to the peer, not to the users: every peer keeps its own. Immutable; a
 * domain without limits is not listed.
 */
public record PeerQuotaLimits(Map<QuotaResource, QuotaLimit> global,
                              Map<Domain, Map<QuotaResource, QuotaLimit>> domains) {
    public static final PeerQuotaLimits NONE = new PeerQuotaLimits(Map.of(), Map.of());

    public PeerQuotaLimits {
        global = Map.copyOf(global);
        Map<Domain, Map<QuotaResource, QuotaLimit>> copy = new HashMap<>();
        domains.forEach((domain, limits) -> {
            if (!limits.isEmpty()) {
                copy.put(Objects.requireNonNull(domain, "domain"), Map.copyOf(limits));
            }
        });
        domains = Map.copyOf(copy);
    }

    public Optional<QuotaLimit> global(QuotaResource resource) {
        return Optional.ofNullable(global.get(resource));
    }

    public Optional<QuotaLimit> domain(Domain domain, QuotaResource resource) {
        return Optional.ofNullable(domains.getOrDefault(domain, Map.of()).get(resource));
    }

    /** These limits with the peer's {@code resource} limit set to {@code limit} (empty: removed). */
    public PeerQuotaLimits withGlobal(QuotaResource resource, Optional<QuotaLimit> limit) {
        return new PeerQuotaLimits(changed(global, resource, limit), domains);
    }

    /** These limits with {@code domain}'s {@code resource} limit set to {@code limit} (empty: removed). */
    public PeerQuotaLimits withDomain(Domain domain, QuotaResource resource, Optional<QuotaLimit> limit) {
        Map<Domain, Map<QuotaResource, QuotaLimit>> changed = new HashMap<>(domains);
        changed.put(domain, changed(domains.getOrDefault(domain, Map.of()), resource, limit));
        return new PeerQuotaLimits(global, changed);
    }

    private static Map<QuotaResource, QuotaLimit> changed(Map<QuotaResource, QuotaLimit> limits,
                                                         QuotaResource resource, Optional<QuotaLimit> limit) {
        EnumMap<QuotaResource, QuotaLimit> changed = new EnumMap<>(QuotaResource.class);
        changed.putAll(limits);
        limit.ifPresentOrElse(value -> changed.put(resource, value), () -> changed.remove(resource));
        return changed;
    }
}
