package org.epost.overlay.pastry.messages;

/** Asks for one routing-table row, to repair a slot whose node died. */
public record RowRequest(int row) {
}
