package org.epost.durability.glacier;

import org.epost.durability.aggregate.Aggregate;
import org.epost.durability.fragment.FragmentFormatException;
import org.epost.overlay.id.Id;

/**
 * Objects of kind {@link Aggregate#KIND_CODE} are aggregates: valid when the bytes hash to the handle and decode as
 * an aggregate (whose members are each verified again when read, against their own handles). Every other kind goes
 * to the node's verifier (PAST's blocks); no PAST block kind uses the aggregate's code.
 */
final class AggregateVerifier implements ObjectVerifier {
    private final ObjectVerifier blocks;

    AggregateVerifier(ObjectVerifier blocks) {
        this.blocks = blocks;
    }

    @Override
    public boolean verify(Id handle, int kindCode, byte[] object) {
        if (kindCode != Aggregate.KIND_CODE) {
            return blocks.verify(handle, kindCode, object);
        }
        if (!Id.hash(object).equals(handle)) {
            return false;
        }
        try {
            Aggregate.decode(object);
            return true;
        } catch (FragmentFormatException e) {
            return false;
        }
    }
}
