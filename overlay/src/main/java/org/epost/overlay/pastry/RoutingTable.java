package org.epost.overlay.pastry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

import org.epost.overlay.api.NodeHandle;
import org.epost.overlay.id.Id;
import org.epost.overlay.transport.Transport;

/**
 * Pastry's routing table: row r holds nodes sharing exactly r leading digits with the local id, in the column of
 * their digit r. Of several candidates for one slot it keeps the one with the lowest proximity when both are
 * known (locality), otherwise the one it learnt first (stability).
 */
public final class RoutingTable {
    public static final int ROWS = Id.DIGITS;
    public static final int COLUMNS = 1 << Id.DIGIT_BITS;

    private final Id self;
    /** Rows are allocated on first use: in a ring of N nodes only about log16(N) + 1 rows ever fill. */
    private final NodeHandle[][] entries = new NodeHandle[ROWS][];
    private final long[][] proximities = new long[ROWS][];
    private int size;

    public RoutingTable(Id self) {
        this.self = self;
    }

    /**
     * Offers {@code handle} for its slot; returns whether the table changed. {@code proximity} may be
     * {@link Transport#PROXIMITY_UNKNOWN}.
     */
    public boolean put(NodeHandle handle, long proximity) {
        return put(handle, node -> proximity);
    }

    /**
     * Like {@link #put(NodeHandle, long)}, but asks for the proximity only when it matters (the slot is taken by
     * another node): measuring may cost something.
     */
    public boolean put(NodeHandle handle, ToLongFunction<NodeHandle> proximityOf) {
        int row = self.sharedPrefixLength(handle.id());
        if (row >= ROWS) {
            return false; // our own id has no slot
        }
        int column = handle.id().digit(row);
        if (entries[row] == null) {
            entries[row] = new NodeHandle[COLUMNS];
            proximities[row] = new long[COLUMNS];
        }
        NodeHandle current = entries[row][column];
        if (current != null) {
            if (current.equals(handle)) {
                return false;
            }
            long proximity = proximityOf.applyAsLong(handle);
            long currentProximity = proximities[row][column];
            boolean nearer = proximity != Transport.PROXIMITY_UNKNOWN
                    && currentProximity != Transport.PROXIMITY_UNKNOWN && proximity < currentProximity;
            if (!nearer) {
                return false;
            }
            proximities[row][column] = proximity;
        } else {
            size++;
            proximities[row][column] = proximityOf.applyAsLong(handle);
        }
        entries[row][column] = handle;
        return true;
    }

    /** The entry for ({@code row}, {@code column}), or null. */
    public NodeHandle get(int row, int column) {
        return entries[row] == null ? null : entries[row][column];
    }

    /** The slot {@code id} would occupy holds exactly this id. */
    public boolean contains(Id id) {
        int row = self.sharedPrefixLength(id);
        if (row >= ROWS) {
            return false;
        }
        NodeHandle current = get(row, id.digit(row));
        return current != null && current.id().equals(id);
    }

    /** Removes the node with this id; returns the removed handle or null. */
    public NodeHandle remove(Id id) {
        int row = self.sharedPrefixLength(id);
        if (row >= ROWS) {
            return null;
        }
        int column = id.digit(row);
        NodeHandle current = get(row, column);
        if (current == null || !current.id().equals(id)) {
            return null;
        }
        entries[row][column] = null;
        size--;
        return current;
    }

    /** The non-empty entries of one row, by column. */
    public List<NodeHandle> row(int row) {
        List<NodeHandle> result = new ArrayList<>();
        if (entries[row] == null) {
            return result;
        }
        for (NodeHandle handle : entries[row]) {
            if (handle != null) {
                result.add(handle);
            }
        }
        return result;
    }

    /** Every entry, row by row, column by column (a deterministic order). */
    public List<NodeHandle> entries() {
        List<NodeHandle> result = new ArrayList<>(size);
        for (int row = 0; row < ROWS; row++) {
            if (entries[row] == null) {
                continue;
            }
            for (NodeHandle handle : entries[row]) {
                if (handle != null) {
                    result.add(handle);
                }
            }
        }
        return result;
    }

    public int size() {
        return size;
    }
}
