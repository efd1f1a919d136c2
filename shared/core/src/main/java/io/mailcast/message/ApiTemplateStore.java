package io.mailcast.message;

import java.util.List;
import java.util.Optional;

/** The send API's named templates, shared by the cluster. */
public interface ApiTemplateStore {

    Optional<ApiTemplate> find(String name);

    /** Creates the template or replaces the one of the same name; messages already accepted keep what they rendered. */
    void put(ApiTemplate template);

    /** Every template, by name. */
    List<ApiTemplate> list();

    /** False when there was no such template. */
    boolean remove(String name);
}
