package org.epost.overlay.past.store;

class InMemoryBlockStoreTest extends BlockStoreContract {
    @Override
    protected BlockStore createStore(StoreConfig config) {
        return new InMemoryBlockStore(verifier, clock, config);
    }
}
