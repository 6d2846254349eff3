/**
 * Where a node keeps the Glacier fragments it holds: in memory (simulator, unit tests) or in a RocksDB database whose
 * writes are acknowledged only once synced (real peers).
 */
package org.epost.durability.glacier.store;
