module epsilon.local/runtime

go 1.19
