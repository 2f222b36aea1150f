package com.diotec360.lattice.operator.charts;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds fields the typed model did not know: fabric8 keeps them in each object's
 * {@code additionalProperties} instead of failing, so a typo such as {@code sepc} or a field at the
 * wrong indentation would otherwise go unnoticed until the API server prunes or rejects it.
 */
final class UnknownFields {

  private UnknownFields() {}

  /** Paths such as {@code spec.template.spec.containers[0].sepc}; empty when all is known. */
  static List<String> in(Object model) {
    List<String> found = new ArrayList<>();
    walk(model, "", found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return; // strings, numbers, and free-form JSON
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object fieldValue;
        try {
          fieldValue = field.get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> found.add(path.isEmpty() ? k.toString() : path + "." + k));
        } else {
          walk(fieldValue, path.isEmpty() ? field.getName() : path + "." + field.getName(), found);
        }
      }
    }
  }
}
