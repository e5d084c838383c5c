//! Template values for large graphs, with repeated records shared.
//!
//! The policy graph names the same unit, section, 人群 or task in thousands of places (every
//! task's units, every target's task and section...). Converted with serde as usual, each
//! of those becomes a template map of its own, and a template map costs about 100 bytes a
//! field: on a 10,000-page plan that was most of a build's memory. [`shared`] converts like
//! [`tera::Value::try_from_serializable`], except that a struct whose fields are all plain
//! values (strings, numbers, booleans, none) is made once and then shared, as template
//! values share their maps. Templates see the same values either way.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::ser::{self, Serialize};
use tera::value::Key;
use tera::{Map, Value};

/// `value` as a template value, identical small records shared (see the module doc).
pub fn shared<T: Serialize + ?Sized>(value: &T) -> Value {
    let records = RefCell::new(HashMap::new());
    value
        .serialize(Ser { records: &records })
        .unwrap_or_else(|_| Value::none())
}

/// Structs with more fields than this are not looked up (they are rarely repeated).
const MAX_SHARED_FIELDS: usize = 8;

/// Made records, by the hash of their name, fields and values (see [`record_hash`]).
type Records = RefCell<HashMap<u64, Vec<Value>>>;

#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

#[derive(Clone, Copy)]
struct Ser<'a> {
    records: &'a Records,
}

fn map_of(fields: Vec<(Key<'static>, Value)>) -> Value {
    let mut map = Map::with_capacity(fields.len());
    for (k, v) in fields {
        map.insert(k, v);
    }
    Value::from(map)
}

/// The sharing hash of a struct whose fields are all plain values, else `None`.
fn record_hash(name: &str, fields: &[(Key<'static>, Value)]) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    use tera::value::ValueKind as K;
    if fields.len() > MAX_SHARED_FIELDS {
        return None;
    }
    let mut h = rustc_hash::FxHasher::default();
    name.hash(&mut h);
    for (k, v) in fields {
        k.as_str().hash(&mut h);
        match v.kind() {
            K::None => 0u8.hash(&mut h),
            K::Bool => (1u8, v.as_bool()).hash(&mut h),
            K::U64 | K::I64 | K::U128 | K::I128 => (2u8, v.as_i128(), v.as_u128()).hash(&mut h),
            K::F64 => (3u8, v.as_f64().map(f64::to_bits)).hash(&mut h),
            K::String => (4u8, v.as_str()).hash(&mut h),
            _ => return None,
        }
    }
    Some(h.finish())
}

/// True when `made` is the record these fields make: same keys, kinds and values.
fn same_record(made: &Value, fields: &[(Key<'static>, Value)]) -> bool {
    made.as_map().is_some_and(|m| {
        m.len() == fields.len()
            && m.iter().zip(fields).all(|((k1, v1), (k2, v2))| {
                k1.as_str() == k2.as_str() && v1.kind() == v2.kind() && v1 == v2
            })
    })
}

impl<'a> ser::Serializer for Ser<'a> {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Variant<Seq<'a>>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Variant<Struct<'a>>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        Ok(Value::from(i64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        Ok(Value::from(u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(Value::from(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::from(v))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::none())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::none())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        Ok(Value::none())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::from(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(map_of(vec![(Key::Str(variant), value.serialize(self)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a>, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<'a>>, Error> {
        Ok(Variant {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapSer<'a>, Error> {
        Ok(MapSer {
            ser: self,
            fields: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Struct<'a>, Error> {
        Ok(Struct {
            ser: self,
            name,
            fields: Vec::with_capacity(len),
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Struct<'a>>, Error> {
        Ok(Variant {
            variant,
            inner: self.serialize_struct(name, len)?,
        })
    }
}

pub struct Seq<'a> {
    ser: Ser<'a>,
    items: Vec<Value>,
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::from(self.items))
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

pub struct Struct<'a> {
    ser: Ser<'a>,
    name: &'static str,
    fields: Vec<(Key<'static>, Value)>,
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.fields
            .push((Key::Str(key), value.serialize(self.ser)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        let Some(hash) = record_hash(self.name, &self.fields) else {
            return Ok(map_of(self.fields));
        };
        let mut records = self.ser.records.borrow_mut();
        let made = records.entry(hash).or_default();
        if let Some(v) = made.iter().find(|v| same_record(v, &self.fields)) {
            return Ok(v.clone());
        }
        let v = map_of(self.fields);
        made.push(v.clone());
        Ok(v)
    }
}

pub struct MapSer<'a> {
    ser: Ser<'a>,
    fields: Vec<(Key<'static>, Value)>,
    key: Option<Key<'static>>,
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        use tera::value::ValueKind as K;
        let k = key.serialize(self.ser)?;
        let k = match (k.kind(), k.as_str()) {
            (_, Some(s)) => Key::String(s.into()),
            (K::Bool, _) => Key::Bool(k.as_bool().unwrap_or_default()),
            (K::U64, _) => Key::U64(k.as_u64().unwrap_or_default()),
            (K::I64, _) => Key::I64(k.as_i64().unwrap_or_default()),
            (K::U128, _) => Key::U128(k.as_u128().unwrap_or_default()),
            (K::I128, _) => Key::I128(k.as_i128().unwrap_or_default()),
            _ => {
                return Err(Error(
                    "map keys must be strings, numbers or booleans".into(),
                ));
            }
        };
        self.key = Some(k);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value without its key".into()))?;
        self.fields.push((key, value.serialize(self.ser)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(map_of(self.fields))
    }
}

pub struct Variant<S> {
    variant: &'static str,
    inner: S,
}

impl ser::SerializeTupleVariant for Variant<Seq<'_>> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Value, Error> {
        let inner = ser::SerializeSeq::end(self.inner)?;
        Ok(map_of(vec![(Key::Str(self.variant), inner)]))
    }
}

impl ser::SerializeStructVariant for Variant<Struct<'_>> {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value, Error> {
        let inner = map_of(self.inner.fields);
        Ok(map_of(vec![(Key::Str(self.variant), inner)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Unit {
        name: String,
        short: Option<String>,
        count: usize,
    }

    #[derive(Serialize)]
    enum Role {
        #[serde(rename = "lead")]
        Lead,
    }

    #[derive(Serialize)]
    struct Task {
        title: &'static str,
        units: Vec<Unit>,
        role: Role,
        share: f64,
        by_year: std::collections::BTreeMap<i32, &'static str>,
        by_path: std::collections::BTreeMap<&'static str, bool>,
    }

    fn sample() -> Vec<Task> {
        let unit = |name: &str| Unit {
            name: name.to_string(),
            short: None,
            count: 2,
        };
        vec![
            Task {
                title: "<甲>",
                units: vec![unit("市科协"), unit("市教育局")],
                role: Role::Lead,
                share: 0.5,
                by_year: [(2025, "一"), (2030, "二")].into_iter().collect(),
                by_path: [("/a/", true)].into_iter().collect(),
            },
            Task {
                title: "乙",
                units: vec![unit("市科协")],
                role: Role::Lead,
                share: 1.0,
                by_year: Default::default(),
                by_path: Default::default(),
            },
        ]
    }

    #[test]
    fn the_same_values_as_tera_makes() {
        let ours = shared(&sample());
        let theirs = Value::try_from_serializable(&sample()).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
    }

    #[test]
    fn repeated_records_are_one_value() {
        let v = shared(&sample());
        let unit = |task: usize, i: usize| {
            let t = &v.as_array().unwrap()[task];
            let units = t.as_map().unwrap().get(&Key::Str("units")).unwrap().clone();
            units.as_array().unwrap()[i].clone()
        };
        let a = unit(0, 0);
        let b = unit(1, 0);
        assert_eq!(a, b);
        assert!(
            std::ptr::eq(a.as_map().unwrap(), b.as_map().unwrap()),
            "one map for both"
        );
        assert_ne!(unit(0, 1), a);
    }
}
