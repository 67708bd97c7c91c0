module github.com/acme/eserveless-go

go 1.19
