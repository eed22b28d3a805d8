package membudget

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{"1073741824", 1 << 30, ""},
		{"1GiB", 1 << 30, ""},
		{"1 GiB", 1 << 30, ""},
		{"1g", 1 << 30, ""},
		{"1GB", 1 << 30, ""},
		{"512M", 512 << 20, ""},
		{"512mib", 512 << 20, ""},
		{"300K", 300 << 10, ""},
		{"300KiB", 300 << 10, ""},
		{"1.5G", 3 << 29, ""},
		{"2T", 2 << 40, ""},
		{"4096B", 4096, ""},
		{"", 0, "not a size"},
		{"lots", 0, "not a size"},
		{"1 GiBs", 0, "not a size"},
		{"0x10M", 0, "not a size"},
		{"1_000", 0, "not a size"},
		{"NaN", 0, "not a size"},
		{"-1G", 0, "out of range"},
		{"0", 0, "out of range"},
		{"1e30G", 0, "out of range"},
		{"Inf", 0, "out of range"},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if tt.err == "" && (err != nil || got != tt.want) {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
		if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("ParseSize(%q) = %d, %v; want an error with %q", tt.in, got, err, tt.err)
		}
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		limit int64
		err   string
	}{
		{"unset", nil, DefaultLimit, ""},
		{"empty", map[string]string{EnvVar: " "}, DefaultLimit, ""},
		{"set", map[string]string{EnvVar: "256MiB"}, 256 << 20, ""},
		{"typo", map[string]string{EnvVar: "1 gigabyte"}, 0, EnvVar + `: "1 gigabyte" is not a size`},
		{"too small", map[string]string{EnvVar: "1000"}, 0, "below the smallest budget, 1MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := FromEnv(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || b.Limit() != tt.limit {
				t.Fatalf("limit %d, err %v; want %d", b.Limit(), err, tt.limit)
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{1 << 30: "1 GiB", 3 << 29: "1.5 GiB", 512 << 20: "512 MiB", 300 << 10: "300 KiB", 12: "12 bytes", 1<<30 + 1: "1 GiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
