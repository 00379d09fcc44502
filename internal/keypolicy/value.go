package keypolicy

// Value is a planned attribute value: known, unknown until apply, or null.
// The zero Value is null.
type Value struct {
	s       string
	unknown bool
}

// Known is a known value; Known("") is null.
func Known(s string) Value { return Value{s: s} }

// Unknown is a value known only after apply.
func Unknown() Value { return Value{unknown: true} }

// Null is no value.
func Null() Value { return Value{} }

// IsKnown reports a known, non-null value.
func (v Value) IsKnown() bool { return !v.unknown && v.s != "" }

// IsUnknown reports a value known only after apply.
func (v Value) IsUnknown() bool { return v.unknown }

// IsNull reports no value.
func (v Value) IsNull() bool { return !v.unknown && v.s == "" }

// String is the value; "" when unknown or null.
func (v Value) String() string { return v.s }
