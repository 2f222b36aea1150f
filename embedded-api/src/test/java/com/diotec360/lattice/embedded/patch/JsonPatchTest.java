package com.diotec360.lattice.embedded.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6902 cases (many from its appendix A), with ' for " to keep them readable. */
class JsonPatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "{'foo':'bar'} | [{'op':'add','path':'/baz','value':'qux'}] | {'foo':'bar','baz':'qux'}",
      "{'foo':['bar','baz']} | [{'op':'add','path':'/foo/1','value':'qux'}] | {'foo':['bar','qux','baz']}",
      "{'foo':['bar']} | [{'op':'add','path':'/foo/1','value':'qux'}] | {'foo':['bar','qux']}",
      "{'foo':['bar']} | [{'op':'add','path':'/foo/-','value':'qux'}] | {'foo':['bar','qux']}",
      "{'baz':'qux','foo':'bar'} | [{'op':'remove','path':'/baz'}] | {'foo':'bar'}",
      "{'foo':['bar','qux','baz']} | [{'op':'remove','path':'/foo/1'}] | {'foo':['bar','baz']}",
      "{'baz':'qux','foo':'bar'} | [{'op':'replace','path':'/baz','value':'boo'}] | {'baz':'boo','foo':'bar'}",
      "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}} | [{'op':'move','from':'/foo/waldo','path':'/qux/thud'}] | {'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}",
      "{'foo':['all','grass','cows','eat']} | [{'op':'move','from':'/foo/1','path':'/foo/3'}] | {'foo':['all','cows','eat','grass']}",
      "{'foo':{'a':1}} | [{'op':'copy','from':'/foo','path':'/bar'}] | {'foo':{'a':1},'bar':{'a':1}}",
      "{'baz':'qux'} | [{'op':'test','path':'/baz','value':'qux'}] | {'baz':'qux'}",
      "{'a/b':1,'m~n':2} | [{'op':'replace','path':'/a~1b','value':3},{'op':'remove','path':'/m~0n'}] | {'a/b':3}",
      "{'foo':'bar'} | [{'op':'add','path':'','value':{'x':1}}] | {'x':1}",
      // a real server replaces an absent key of an object by adding it (evanphx/json-patch v4)
      "{'foo':'bar'} | [{'op':'replace','path':'/baz','value':'x'}] | {'foo':'bar','baz':'x'}",
      "{} | [{'op':'add','path':'/status','value':{'phase':'Pending'}}] | {'status':{'phase':'Pending'}}",
  })
  void applies(String document, String patch, String expected) throws Exception {
    assertThat(JsonPatch.apply(json(patch), json(document))).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0} + {1} fails")
  @CsvSource(delimiter = '|', value = {
      // add needs the parent: this is what the fabric8 mock gets wrong
      "{'spec':{}} | [{'op':'add','path':'/status/phase','value':'Pending'}]",
      "{'foo':['bar']} | [{'op':'add','path':'/foo/2','value':'x'}]",
      "{'foo':['bar']} | [{'op':'add','path':'/foo/01','value':'x'}]",
      "{'foo':'bar'} | [{'op':'replace','path':'/baz/x','value':'x'}]",
      "{'foo':['bar']} | [{'op':'replace','path':'/foo/1','value':'x'}]",
      "{'foo':'bar'} | [{'op':'remove','path':'/baz'}]",
      "{'foo':['bar']} | [{'op':'remove','path':'/foo/1'}]",
      "{'baz':'qux'} | [{'op':'test','path':'/baz','value':'bar'}]",
      "{'foo':'bar'} | [{'op':'move','from':'/nope','path':'/x'}]",
      "{'foo':{'a':1}} | [{'op':'move','from':'/foo','path':'/foo/b'}]",
      "{'foo':'bar'} | [{'op':'copy','from':'/nope','path':'/x'}]",
      "{'foo':'bar'} | [{'op':'frobnicate','path':'/foo'}]",
      "{'foo':'bar'} | [{'op':'add','path':'/x'}]",
      "{'foo':'bar'} | {'op':'add','path':'/x','value':1}",
  })
  void refuses(String document, String patch) {
    assertThatThrownBy(() -> JsonPatch.apply(json(patch), json(document))).isInstanceOf(PatchException.class);
  }

  @ParameterizedTest(name = "a failing patch leaves {0} as it was")
  @CsvSource(delimiter = '|', value = {
      "{'a':1} | [{'op':'add','path':'/b','value':2},{'op':'remove','path':'/nope'}]",
  })
  void failingPatchChangesNothing(String document, String patch) throws Exception {
    JsonNode original = json(document);
    JsonNode copy = original.deepCopy();
    assertThatThrownBy(() -> JsonPatch.apply(json(patch), original)).isInstanceOf(PatchException.class);
    assertThat(original).isEqualTo(copy);
  }

  static JsonNode json(String quoted) throws Exception {
    return JSON.readTree(quoted.replace('\'', '"'));
  }
}
