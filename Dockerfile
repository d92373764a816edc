# Build a static binary, then run it as a non-root user in a minimal image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=container
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/kiemtra ./cmd/kiemtra \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kiemtra /usr/local/bin/kiemtra
# The volume starts as this empty folder owned by the non-root user, so that it can write there.
COPY --from=build --chown=65532:65532 /out/data /data
ENV KIEMTRA_ADDR=0.0.0.0:8080 \
    KIEMTRA_DATA_DIR=/data \
    KIEMTRA_LOG_FORMAT=json
VOLUME ["/data"]
USER nonroot:nonroot
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/usr/local/bin/kiemtra", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/kiemtra"]
CMD ["serve"]
