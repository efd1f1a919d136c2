package io.mailcast.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

import java.util.function.BiConsumer;

/** An IMap listener that hands every change of an entry to one callback: the new value, or {@code null} once removed. */
final class EntryChanges<K, V> implements EntryAddedListener<K, V>, EntryUpdatedListener<K, V>,
        EntryRemovedListener<K, V> {

    private final BiConsumer<K, V> changed;

    EntryChanges(BiConsumer<K, V> changed) {
        this.changed = changed;
    }

    @Override
    public void entryAdded(EntryEvent<K, V> event) {
        changed.accept(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<K, V> event) {
        changed.accept(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<K, V> event) {
        changed.accept(event.getKey(), null);
    }
}
