fn main() {
    std::process::exit(yingjian::cli::main());
}
