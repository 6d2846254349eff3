package org.epost.durability.glacier;

import org.epost.overlay.id.Id;

/**
 * Whether bytes rebuilt from fragments are the object named by a handle and kind. Fragments only prove they belong
 * to a manifest; this check (PAST's block verification in production) is what proves the manifest itself genuine.
 */
@FunctionalInterface
public interface ObjectVerifier {
    boolean verify(Id handle, int kindCode, byte[] object);
}
