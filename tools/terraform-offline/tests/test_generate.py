"""The generator, on a hand-written excerpt shaped like cdktf's output."""

import pytest

from tfoffline.generate import Builder, GenerateError, Member, Stats, parse_module, ts_type, type_from_getter

SOURCE = """
export class ThingRuleOutputReference extends cdktf.ComplexObject {
  // days - computed: false, optional: false, required: true
  private _days?: number;
  public get days() {
    return this.getNumberAttribute('days');
  }

  // id - computed: true, optional: true, required: false
  private _id?: string;
  public get id() {
    return this.getStringAttribute('id');
  }
}

export class ThingRuleList extends cdktf.ComplexList {
  public get(index: number): ThingRuleOutputReference {
    return new ThingRuleOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

export class ThingSettingsOutputReference extends cdktf.ComplexObject {
  // level - computed: false, optional: true, required: false
  private _level?: number;
  public get level() {
    return this.getNumberAttribute('level');
  }
}

export class ThingPortOutputReference extends cdktf.ComplexObject {
  // from - computed: true, optional: true, required: false
  private _from?: number;
  public get from() {
    return this.getNumberAttribute('from');
  }

  // cidrs - computed: true, optional: true, required: false
  private _cidrs?: string[];
  public get cidrs() {
    return this.getListAttribute('cidrs');
  }
}

export class ThingPortList extends cdktf.ComplexList {
  public get(index: number): ThingPortOutputReference {
    return new ThingPortOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

export function thingSettingsToHclTerraform(struct?: ThingSettingsOutputReference | ThingSettings): any {
  const attrs = {
    level: {
      value: cdktf.numberToHclTerraform(struct!.level),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };
}

export class Thing extends cdktf.TerraformResource {
  public static readonly tfResourceType = "aws_thing";

  // arn - computed: true, optional: false, required: false
  public get arn() {
    return this.getStringAttribute('arn');
  }

  // names - computed: false, optional: true, required: false
  private _names?: string[];
  public get names() {
    return cdktf.Fn.tolist(this.getListAttribute('names'));
  }

  // port - computed: true, optional: true, required: false
  private _port = new ThingPortList(this, "port", true);
  public get port() {
    return this._port;
  }

  // rule - computed: false, optional: false, required: true
  private _rule = new ThingRuleList(this, "rule", true);
  public get rule() {
    return this._rule;
  }

  // settings - computed: false, optional: true, required: false
  private _settings = new ThingSettingsOutputReference(this, "settings");
  public get settings() {
    return this._settings;
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      names: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._names),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      port: {
        value: cdktf.listMapperHcl(thingPortToHclTerraform, true)(this._port.internalValue),
        isBlock: true,
        type: "set",
        storageClassType: "ThingPortList",
      },
      rule: {
        value: cdktf.listMapperHcl(thingRuleToHclTerraform, true)(this._rule.internalValue),
        isBlock: true,
        type: "set",
        storageClassType: "ThingRuleList",
      },
      settings: {
        value: thingSettingsToHclTerraform(this._settings.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "ThingSettingsList",
      },
    };
  }
}
"""


def build() -> dict:
    mod = parse_module("thing", SOURCE)
    root = mod.classes["Thing"]
    assert root.tf_type == "aws_thing" and root.hcl is not None
    return Builder(mod, Stats()).block(root.members, root.hcl)


def test_flags_types_and_collections() -> None:
    block = build()
    assert block["attributes"]["arn"] == {"type": "string", "computed": True}
    assert block["attributes"]["names"] == {"type": ["set", "string"], "optional": True}


def test_blocks_keep_nesting_and_item_limits() -> None:
    rule = build()["block_types"]["rule"]
    assert rule["nesting_mode"] == "set" and rule["min_items"] == 1 and "max_items" not in rule
    assert rule["block"]["attributes"]["id"] == {"type": "string", "optional": True, "computed": True}
    settings = build()["block_types"]["settings"]
    assert settings["nesting_mode"] == "list" and settings["max_items"] == 1


def test_computed_objects_with_inherited_flags_are_object_attributes() -> None:
    port = build()["attributes"]["port"]
    assert port == {
        "type": ["set", ["object", {"from": "number", "cidrs": ["list", "string"]}]],
        "optional": True,
        "computed": True,
    }


def test_typescript_types() -> None:
    assert ts_type("string[][] | cdktf.IResolvable") == ["list", ["list", "string"]]
    assert ts_type("{ [key: string]: string }[] | cdktf.IResolvable") == ["list", ["map", "string"]]
    assert ts_type("{ [key: string]: (boolean | cdktf.IResolvable) }") == ["map", "bool"]
    assert ts_type("any") == "dynamic"
    with pytest.raises(GenerateError):
        ts_type("Date")


def test_getter_types() -> None:
    m = Member("ids", True, False, False, getter="cdktf.Fn.tolist(this.getListAttribute('ids'))")
    assert type_from_getter(m) == ["set", "string"]
    m = Member("tags", True, False, False, new_class="cdktf.StringMap", getter="this._tags")
    assert type_from_getter(m) == ["map", "string"]
