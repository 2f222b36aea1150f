package com.diotec360.lattice.operator.reconcile.dependents;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a dependent writes, as a reader knows it ("the state PersistentVolumeClaim"). A failed
 * workflow names the object by it ({@code ReconcileFailure}), read from the reconciler's {@code
 * @Workflow}, so the list of dependents is never copied by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Writes {
  String value();
}
